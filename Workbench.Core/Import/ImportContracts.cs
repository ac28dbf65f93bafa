namespace Workbench.Core.Import;

public enum ImportKind { Customers, Products, Transactions, Events, Consents, Outcomes }

public enum ImportMode { AllOrNothing, SkipInvalid }

// Running while it writes (committed before the load, so a killed process leaves it); Interrupted once a later start
// finds its process gone.
public enum ImportOutcome { Imported, Refused, Cancelled, Failed, Running, Interrupted }

public enum ProblemSeverity { Error, Warning }

// The text encoding of an uploaded file; a UTF-8 byte-order mark wins over any of them.
public enum ImportEncoding { Utf8, Latin1, Windows1252 }

// The largest field and record the importer reads (characters); past either, the row is rejected and the rest of
// the file is not read (Workbench:Import:MaxFieldChars, Workbench:Import:MaxRecordChars).
public sealed record ImportLimits(int MaxFieldChars = 65_536, int MaxRecordChars = 1_048_576)
{
    public static readonly ImportLimits Default = new();
}

// Line is the physical line of the file where the record starts (the header is line 1); 0 for file-level problems.
// Column and reason are kept printable: control characters of a binary file are shown escaped, never echoed raw.
public sealed record ImportProblem(long Line, string? Column, string Reason, ProblemSeverity Severity = ProblemSeverity.Error)
{
    public string? Column { get; init; } = Column is null ? null : FieldParsers.Printable(Column, 100);
    public string Reason { get; init; } = FieldParsers.Printable(Reason, 2000);

    public string Format(string fileName) =>
        Column is null ? $"{fileName}:{Line}: {Reason}" : $"{fileName}:{Line}: {Column}: {Reason}";
}

// Stage is set once the rows are committed and the derived figures (statistics, quality, features) are being updated.
public sealed record ImportProgress(long RowsRead, long BytesRead, long? TotalBytes, TimeSpan Elapsed, string? Stage = null)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;

    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesRead / TotalBytes.Value, 0, 1) : null;

    public TimeSpan? Remaining => Fraction is > 0.001 and var f && Elapsed.TotalSeconds > 0
        ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (1 - f) / f)
        : null;
}

public sealed record ImportRequest(ImportKind Kind, string FileName, ImportMode Mode, string UserName, long? TotalBytes = null,
    ImportEncoding Encoding = ImportEncoding.Utf8);

public sealed record ImportResult(
    long ImportRunId,
    ImportKind Kind,
    string FileName,
    ImportMode Mode,
    ImportOutcome Outcome,
    long RowsRead,
    long Inserted,
    long Updated,
    long Unchanged,
    long Rejected,
    long ErrorCount,
    long WarningCount,
    IReadOnlyList<ImportProblem> Problems,
    IReadOnlyList<string> UnknownColumns,
    string? RejectedRowsFile,
    TimeSpan Duration,
    string? Message)
{
    public const int MaxListedProblems = 1000;

    public bool Succeeded => Outcome == ImportOutcome.Imported;

    public string Summary => Outcome switch
    {
        ImportOutcome.Imported =>
            $"{FileName}: imported {Kind.ToString().ToLowerInvariant()}: {RowsRead:N0} rows read, {Inserted:N0} inserted, {Updated:N0} updated, {Unchanged:N0} unchanged, {Rejected:N0} rejected, {WarningCount:N0} warnings in {Duration.TotalSeconds:0.0} s",
        ImportOutcome.Refused =>
            $"{FileName}: refused, nothing written: {ErrorCount:N0} problems in {RowsRead:N0} rows{(Message is null ? "" : $" ({Message})")}",
        ImportOutcome.Cancelled => $"{FileName}: cancelled after {RowsRead:N0} rows, nothing written",
        _ => $"{FileName}: failed, nothing written: {Message}",
    };

    // What the page shows after its own headline ("Refused: nothing was written."), so the outcome is said once.
    public string Detail => Outcome switch
    {
        ImportOutcome.Imported => Summary,
        ImportOutcome.Refused => $"{FileName}: {ErrorCount:N0} problems in {RowsRead:N0} rows{(Message is null ? "" : $" ({Message})")}.",
        ImportOutcome.Cancelled => $"{FileName}: stopped after {RowsRead:N0} rows.",
        _ => $"{FileName}: {Message}",
    };
}

public sealed record ColumnMapping(string Header, string? Field, bool Required);

public sealed record ImportPreview(
    ImportKind Kind,
    char Delimiter,
    IReadOnlyList<string> Headers,
    IReadOnlyList<ColumnMapping> Mapping,
    IReadOnlyList<string> MissingRequired,
    IReadOnlyList<string> UnknownColumns,
    IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public bool CanImport => MissingRequired.Count == 0;
}

public sealed record ImportHistoryItem(
    long Id, ImportKind Kind, string FileName, string UserName, ImportMode Mode, ImportOutcome Outcome,
    DateTime StartedAt, long DurationMs, long RowsRead, long Inserted, long Updated, long Unchanged, long Rejected,
    long Warnings, string? Message, bool HasRejectedRows);

public sealed record StoreSummary(
    long Customers, long Products, long OrderLines, long Events, long Consents,
    DateTime? FirstOrderAt, DateTime? LastOrderAt, IReadOnlyList<ImportHistoryItem> LastImports)
{
    public bool IsEmpty => Customers + Products + OrderLines + Events + Consents == 0;
}

// Work that runs after an import commits (e.g. the data quality snapshot), one import at a time.
public interface IImportFollowUp
{
    // What it updates, for the progress shown while it runs ("customer features and the lifetime value model").
    string Activity { get; }

    Task AfterImportAsync(ImportResult result, CancellationToken ct);

    // After several files imported in one go (the sample load on first start): once, for all of them, so that no figure
    // describes a store with only some of the files in.
    Task AfterImportsAsync(IReadOnlyList<ImportResult> results, CancellationToken ct) => AfterImportAsync(results[^1], ct);
}
