using Workbench.Core.Experiments;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Features.Experiments;

// The form's choices; "" means none for the optional columns.
public sealed class AnalysisChoice
{
    public string VariantColumn { get; set; } = "";
    public string Control { get; set; } = "";
    public IReadOnlyCollection<string> Metrics { get; set; } = [];
    public string SegmentColumn { get; set; } = "";
    public string PreMetricColumn { get; set; } = "";
    public string UnitColumn { get; set; } = "";
    public Correction Correction { get; set; } = Correction.BenjaminiHochberg;
    public CorrectionScope Scope { get; set; } = CorrectionScope.Experiment;

    public static AnalysisChoice Guess(FilePreview preview)
    {
        var variant = preview.GuessVariantColumn() ?? preview.Columns.FirstOrDefault()?.Name ?? "";
        var unit = preview.GuessUnitColumn() ?? "";
        return new AnalysisChoice
        {
            VariantColumn = variant,
            Control = GuessControl(preview.Columns.FirstOrDefault(c => c.Name == variant)?.Values ?? []),
            UnitColumn = unit,
            Metrics = preview.GuessMetrics(variant, unit).ToList(),
        };
    }

    // A value that names itself the control, else the first in ordinal order.
    public static string GuessControl(IReadOnlyList<string> values) =>
        values.FirstOrDefault(v => ControlNames.Any(n => v.Contains(n, StringComparison.OrdinalIgnoreCase))) ?? values.FirstOrDefault() ?? "";

    private static readonly string[] ControlNames = ["control", "ctrl", "baseline", "holdout"];

    public FileAnalysisRequest ToRequest() => new(VariantColumn, Control, Metrics.ToList(), None(SegmentColumn), None(PreMetricColumn),
        None(UnitColumn), Correction, Scope);

    private static string? None(string value) => value.Length == 0 ? null : value;
}
