using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Experiments;

// allocation: planned share per variant for the sample-ratio check; null = an equal split over the variants found.
public sealed record FileAnalysisRequest(string VariantColumn, string Control, IReadOnlyList<string> Metrics,
    string? SegmentColumn = null, string? PreMetricColumn = null, string? UnitColumn = null,
    Correction Correction = Correction.BenjaminiHochberg, CorrectionScope Scope = CorrectionScope.Experiment,
    IReadOnlyDictionary<string, double>? Allocation = null);

public sealed record FileAnalysisProgress(long Rows, long BytesRead, long? TotalBytes)
{
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesRead / TotalBytes.Value, 0, 1) : null;
}

public sealed record MetricSummary(string Name, MetricKind Kind);

public sealed record VariantUnits(string Variant, long Units, double PlannedShare);

public sealed record FileAnalysisReport(string FileName, long Units, long? DuplicateUnits, SampleRatioCheck Srm,
    IReadOnlyList<VariantUnits> Variants, IReadOnlyList<MetricSummary> Metrics, string Control, string? SegmentColumn,
    IReadOnlyList<string> Segments, bool Cuped, Correction Correction, CorrectionScope Scope, IReadOnlyList<CellResult> Results);

// A refused file: the problem names the file, line and column (line 0 = the file as a whole or the request).
public sealed record FileAnalysisOutcome(FileAnalysisReport? Report, string? Problem);

// The header and a look at the first rows, so a page can offer the columns and guess the roles.
public sealed record ColumnPreview(string Name, IReadOnlyList<string> Values, bool Numeric, bool Binary, bool DistinctPerRow);

public sealed record FilePreview(IReadOnlyList<ColumnPreview> Columns, long RowsLooked)
{
    public string? GuessVariantColumn() =>
        Columns.FirstOrDefault(c => !c.Numeric && c.Values.Count is >= 2 and <= 10)?.Name;

    public string? GuessUnitColumn() => Columns.FirstOrDefault(c => c.DistinctPerRow)?.Name;

    public IReadOnlyList<string> GuessMetrics(string? variant, string? unit) =>
        Columns.Where(c => (c.Numeric || c.Binary) && c.Name != variant && c.Name != unit && !c.DistinctPerRow).Select(c => c.Name).ToList();
}
