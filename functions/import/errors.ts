// Why an import stops: each a typed error the CLI door maps to exit 1 with its message.

/** Base of every import failure; the message is written for the person running the command. */
export class ImportFailed extends Error {
  override name = 'ImportFailed';
}

/** The file is not an export of the named database (wrong header, wrong shape, wrong delimiter). */
export class NotTheNamedFormat extends ImportFailed {
  override name = 'NotTheNamedFormat';
}

/** The file holds no bytes, or a header and no rows. */
export class EmptyExport extends ImportFailed {
  override name = 'EmptyExport';
}

/** A row cut short or an unclosed quote: the download was interrupted or the file was edited by hand. */
export class TruncatedRow extends ImportFailed {
  override name = 'TruncatedRow';
}

/** `--molecule` names nothing in the file, or the file holds several molecules and none was named. */
export class MoleculeNotFound extends ImportFailed {
  override name = 'MoleculeNotFound';
}

/** `--primary` names a target that the file does not hold (or whose every row was skipped). */
export class PrimaryTargetNotFound extends ImportFailed {
  override name = 'PrimaryTargetNotFound';
}

/** Nothing survived the filters, or the draft failed the dataset contract. */
export class DraftNotValid extends ImportFailed {
  override name = 'DraftNotValid';
}
