using System.Globalization;
using Workbench.Core.Campaigns;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Reports;

// What a pack shows, worked out once and written twice (the deck and the HTML page say the same).
public sealed record PackChart(string Title, string Note, byte[] Png, int Width, int Height);

public sealed record PackTable(string Title, string Note, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

// Period: From included, To excluded (UTC days); the deck and page show the last day included.
public sealed record PackContent(string Title, DateOnly From, DateOnly To, IReadOnlyList<string> Experiments, DateTime MadeAt,
    IReadOnlyList<PackChart> Charts, IReadOnlyList<PackTable> Tables)
{
    public string PeriodLabel => $"{KpiPackFormat.Day(From)} to {KpiPackFormat.Day(To.AddDays(-1))}";
}

// A chosen run with its results (the run page's rule, over its default attribution window) and its daily breakdown.
public sealed record PackExperiment(long RunId, string CampaignName, DateTime AsOf, RunResults Results, IReadOnlyList<DailyArmTotals> Daily)
{
    public string Label => $"{CampaignName} (run {RunId})";
}

// The invariant formats the deck, the page and their tests share: a rate in percent with two decimals, a lift of a rate in
// percentage points, money with two decimals, p-values with four.
public static class KpiPackFormat
{
    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Value(CellResult c, double v) => c.Kind == MetricKind.Rate
        ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%"
        : v.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Lift(CellResult c, double? v) => v is not { } x || double.IsNaN(x) ? "–" : c.Kind == MetricKind.Rate
        ? (x * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " pp"
        : x.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    public static string Interval(CellResult c) => c.CiLow is { } lo && c.CiHigh is { } hi && !double.IsNaN(lo) && !double.IsNaN(hi)
        ? $"[{Lift(c, lo)}, {Lift(c, hi)}]"
        : "–";

    public static string P(double? p) => p is { } v && !double.IsNaN(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    public static string Money(double v) => v.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Size(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";
}
