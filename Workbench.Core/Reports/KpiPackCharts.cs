using ScottPlot;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;

namespace Workbench.Core.Reports;

// One month of a KPI in the chart's period and the same month a year earlier (null where the store has no month then).
public sealed record KpiMonthPoint(string Month, double Value, double? Baseline);

// The pack's charts, drawn on the server with ScottPlot (no browser), PNG of a fixed size. Text uses DejaVu Sans, Debian's
// fonts-dejavu-core, named explicitly so every machine draws the same glyphs.
public static class KpiPackCharts
{
    public const int Width = 1200, Height = 600;
    public const string FontFamily = "DejaVu Sans";

    public static PackChart Lift(IReadOnlyList<PackExperiment> experiments)
    {
        var plot = NewPlot();
        var rows = experiments.SelectMany(e => e.Results.Cells
                .Where(c => c.Segment is null && c.Metric == RunResults.Conversion)
                .Select(c => (Label: $"{Short(e.CampaignName)} · run {e.RunId} · {c.Variant}", Cell: c)))
            .ToList();
        var positions = new List<double>();
        var labels = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var y = rows.Count - 1 - i;
            var c = rows[i].Cell;
            if (c.CiLow is { } lo && c.CiHigh is { } hi && !double.IsNaN(lo) && !double.IsNaN(hi))
            {
                var line = plot.Add.Line(lo * 100, y, hi * 100, y);
                line.LineWidth = 3;
                line.Color = Colors.SteelBlue;
            }
            var marker = plot.Add.Marker(c.AbsoluteLift * 100, y);
            marker.Size = 12;
            marker.Color = Colors.DarkBlue;
            positions.Add(y);
            labels.Add(rows[i].Label);
        }
        var zero = plot.Add.VerticalLine(0);
        zero.Color = Colors.Gray;
        zero.LinePattern = LinePattern.Dashed;
        plot.Axes.Left.SetTicks(positions.ToArray(), labels.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.8, Math.Max(0.8, rows.Count - 0.2));
        plot.Title("Conversion lift against control, per variant");
        plot.XLabel("lift (percentage points), 95% interval");
        if (rows.Count == 0) plot.Add.Annotation("No variant with a control to compare");
        return Png(plot, "Lift with 95% intervals per variant",
            "Absolute lift of the conversion rate over control, all targeted customers; unpooled 95% Wald interval; the p-values in the tables are BH-adjusted across the run's cells.");
    }

    public static PackChart Heatmap(IReadOnlyList<PackExperiment> experiments, IReadOnlyDictionary<string, string> segmentNames)
    {
        var plot = NewPlot();
        var cells = experiments.SelectMany(e => e.Results.Cells.Where(c => c.Metric == RunResults.Conversion)
            .Select(c => (Column: $"{Short(e.CampaignName)} · run {e.RunId} · {c.Variant}", Row: c.Segment, c.AbsoluteLift))).ToList();
        var columns = cells.Select(c => c.Column).Distinct().ToList();
        var segmentRows = cells.Select(c => c.Row).Distinct().OrderBy(r => r is null ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal).ToList();
        var max = cells.Count == 0 ? 1 : Math.Max(1e-9, cells.Max(c => Math.Abs(c.AbsoluteLift)));
        foreach (var cell in cells)
        {
            var x = columns.IndexOf(cell.Column);
            var y = segmentRows.Count - 1 - segmentRows.IndexOf(cell.Row);
            var rect = plot.Add.Rectangle(x - 0.5, x + 0.5, y - 0.5, y + 0.5);
            rect.FillColor = Diverging(cell.AbsoluteLift / max);
            rect.LineColor = Colors.White;
            var text = plot.Add.Text((cell.AbsoluteLift * 100).ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture) + " pp", x, y);
            text.LabelFontName = FontFamily;
            text.LabelFontSize = 16;
            text.LabelAlignment = Alignment.MiddleCenter;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns.Count).Select(i => (double)i).ToArray(), columns.ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, segmentRows.Count).Select(i => (double)(segmentRows.Count - 1 - i)).ToArray(),
            segmentRows.Select(r => r is null ? "everyone" : segmentNames.GetValueOrDefault(r, $"segment {r}")).ToArray());
        plot.Axes.SetLimits(-0.5, Math.Max(0.5, columns.Count - 0.5), -0.5, Math.Max(0.5, segmentRows.Count - 0.5));
        plot.Grid.IsVisible = false;
        plot.Title("Conversion lift by segment and variant");
        if (cells.Count == 0) plot.Add.Annotation("No variant with a control to compare");
        return Png(plot, "Segment × variant heatmap",
            "Absolute conversion lift over control in each campaign segment the run recorded (everyone on top); red above control, blue below.");
    }

    public static PackChart Incremental(IReadOnlyList<PackExperiment> experiments)
    {
        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var e in experiments)
        {
            foreach (var s in IncrementalRevenue.Cumulate(IncrementalRevenue.Customers(e.Results), e.Daily, e.Results.WindowDays, ArmAssignment.ControlArm))
            {
                var color = palette.GetColor(i++);
                var xs = s.Points.Select(p => (double)p.Day + 1).ToArray();
                var revenue = plot.Add.Scatter(xs, s.Points.Select(p => p.Revenue).ToArray());
                revenue.Color = color;
                revenue.LineWidth = 2;
                revenue.LegendText = $"revenue · {Short(e.CampaignName)} · run {e.RunId} · {s.Variant}";
                var margin = plot.Add.Scatter(xs, s.Points.Select(p => p.Margin).ToArray());
                margin.Color = color;
                margin.LineWidth = 2;
                margin.LinePattern = LinePattern.Dashed;
                margin.LegendText = $"margin · {Short(e.CampaignName)} · run {e.RunId} · {s.Variant}";
            }
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Gray;
        var days = experiments.Select(e => e.Results.WindowDays).DefaultIfEmpty(RunResults.DefaultWindowDays).Max();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(1, days).Select(d => (double)d).ToArray(),
            Enumerable.Range(1, days).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title("Cumulative incremental revenue and margin");
        plot.XLabel("day of the results window");
        plot.YLabel("incremental (money)");
        if (i == 0) plot.Add.Annotation("No variant with a control to compare");
        else plot.ShowLegend(Edge.Bottom);
        return Png(plot, "Cumulative incremental revenue and margin",
            "Per day: (variant revenue per customer − control revenue per customer) × variant customers, summed from the run's decision moment; margin likewise (dashed).");
    }

    public static PackChart KpiOverTime(string measure, IReadOnlyList<KpiMonthPoint> months)
    {
        var plot = NewPlot();
        var xs = Enumerable.Range(0, months.Count).Select(i => (double)i).ToArray();
        var current = plot.Add.Scatter(xs, months.Select(m => m.Value).ToArray());
        current.LegendText = "the month";
        current.LineWidth = 3;
        current.Color = Colors.DarkBlue;
        var baselined = months.Select((m, i) => (m, i)).Where(p => p.m.Baseline is not null).ToList();
        if (baselined.Count > 0)
        {
            var baseline = plot.Add.Scatter(baselined.Select(p => (double)p.i).ToArray(), baselined.Select(p => p.m.Baseline!.Value).ToArray());
            baseline.LegendText = "baseline: the same month a year earlier";
            baseline.LineWidth = 2;
            baseline.LinePattern = LinePattern.Dashed;
            baseline.Color = Colors.Gray;
        }
        plot.Axes.Bottom.SetTicks(xs, months.Select(m => m.Month).ToArray());
        plot.Title($"{measure} by month against a year earlier");
        plot.ShowLegend(Alignment.UpperLeft);
        if (months.Count == 0) plot.Add.Annotation("No KPI months computed yet");
        return Png(plot, $"KPIs over time: {measure.ToLowerInvariant()}",
            "Monthly figures of the KPI overview (all customers) for the 12 months ending with the period's last month; baseline: the same month a year earlier.");
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.Axes.Title.Label.FontSize = 22;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        return plot;
    }

    private static PackChart Png(Plot plot, string title, string note)
    {
        plot.Font.Set(FontFamily);
        var png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        return new PackChart(title, note, png, Width, Height);
    }

    private static string Short(string name) => name.Length <= 24 ? name : name[..23] + "…";

    // −1 → blue, 0 → white, +1 → red.
    private static Color Diverging(double t)
    {
        t = Math.Clamp(t, -1, 1);
        byte Mix(byte from, byte to, double f) => (byte)Math.Round(from + (to - from) * f);
        return t >= 0
            ? new Color(Mix(255, 203, t), Mix(255, 24, t), Mix(255, 29, t))
            : new Color(Mix(255, 33, -t), Mix(255, 102, -t), Mix(255, 172, -t));
    }
}
