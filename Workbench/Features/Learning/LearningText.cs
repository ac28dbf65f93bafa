using System.Globalization;
using Workbench.Core.Experiments.Statistics;
using Workbench.Core.Learning;

namespace Workbench.Features.Learning;

// The words and colours the meeting and the learnings library show.
public static class LearningText
{
    public static string Decision(DecisionKind d) => d.ToString().ToLowerInvariant();

    public static MudBlazor.Color DecisionColor(DecisionKind d) => d switch
    {
        DecisionKind.Scale => MudBlazor.Color.Success,
        DecisionKind.Stop => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Info,
    };

    public static MudBlazor.Severity DecisionSeverity(DecisionKind d) => d switch
    {
        DecisionKind.Scale => MudBlazor.Severity.Success,
        DecisionKind.Stop => MudBlazor.Severity.Error,
        _ => MudBlazor.Severity.Info,
    };

    public static string Tag(AgendaTag t) => t switch
    {
        AgendaTag.Started => "started this week",
        AgendaTag.Ended => "window ended this week",
        AgendaTag.Moved => "moved this week",
        _ => "live all week",
    };

    public static string Correction(Correction c) => c switch
    {
        Core.Experiments.Statistics.Correction.BenjaminiHochberg => "Benjamini–Hochberg (false discovery rate)",
        Core.Experiments.Statistics.Correction.Holm => "Holm (family-wise error)",
        _ => "none (raw p-values)",
    };

    public static string Scope(CorrectionScope s) => s switch
    {
        CorrectionScope.Metric => "per metric within each experiment",
        CorrectionScope.Experiment => "per experiment",
        _ => "across the week's portfolio",
    };

    public static string Week(DateOnly monday) =>
        $"{monday.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {monday.AddDays(6).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    public static string P(double? p) => p is not { } v ? "—" : v < 0.0001 ? "< 0.0001" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Percent(double? v) => v is { } x ? x.ToString("0.0%", CultureInfo.InvariantCulture) : "—";

    // A rate in percent, a mean in money.
    public static string Value(CellResult c, double? v) => v is not { } x ? "—"
        : c.Kind == MetricKind.Rate ? (100 * x).ToString("0.00", CultureInfo.InvariantCulture) + "%" : Money(x);

    // A difference: percentage points for a rate, money for a mean, signed.
    public static string Lift(CellResult c, double? v) => v is not { } x ? "—"
        : (x >= 0 ? "+" : "") + (c.Kind == MetricKind.Rate ? (100 * x).ToString("0.00", CultureInfo.InvariantCulture) + " pp" : Money(x));

    public static string Money(double x) => x.ToString("#,##0.00", CultureInfo.InvariantCulture);
}
