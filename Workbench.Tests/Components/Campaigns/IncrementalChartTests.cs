using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Workbench.Core.Campaigns;
using Workbench.Features.Campaigns;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Campaigns;

public sealed class IncrementalChartTests : BunitContext
{
    public IncrementalChartTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(new FixedClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero)));
    }

    private static readonly IReadOnlyList<IncrementalSeries> TwoVariants =
    [
        new("A", 100, [new IncrementalPoint(0, 10, 3), new IncrementalPoint(1, 25.5, 7)]),
        new("B", 80, [new IncrementalPoint(0, -4, -1), new IncrementalPoint(1, -2, 0.5)]),
    ];

    [Fact]
    public void Revenue_OneLinePerVariant_ByDayOfTheWindow_TheCsvCarriesBothMeasures()
    {
        var chart = Render<IncrementalChart>(p => p.Add(c => c.Series, TwoVariants).Add(c => c.Subject, "run 7, 2-day window"));

        var traces = chart.FindComponent<PlotlyChart>().Instance.Data.Cast<Scatter>().ToList();
        Assert.Equal(["variant A", "variant B"], traces.Select(t => t.Name));
        Assert.Equal([1, 2], traces[0].X.Cast<int>());
        Assert.Equal([10.0, 25.5], traces[0].Y.Cast<double>());
        Assert.Contains("Cumulative incremental revenue against control", chart.Markup);
        var csv = IncrementalRevenue.Csv(TwoVariants).ReplaceLineEndings("\n");
        Assert.Equal("variant,customers,day,cumulative_incremental_revenue,cumulative_incremental_margin\n" +
                     "A,100,1,10,3\nA,100,2,25.5,7\nB,80,1,-4,-1\nB,80,2,-2,0.5\n", csv);
        Assert.Contains(Uri.EscapeDataString("A,100,2,25.5,7"), chart.Find("[data-testid=run-incremental-chart-csv], [data-testid=incremental-chart-csv]").GetAttribute("href"));
    }

    [Fact]
    public void Margin_TheToggleRedrawsTheLinesWithMargin()
    {
        var chart = Render<IncrementalChart>(p => p.Add(c => c.Series, TwoVariants).Add(c => c.Subject, "run 7, 2-day window"));

        chart.FindAll("[data-testid=incremental-measure] button").Single(b => b.TextContent.Contains("Margin")).Click();

        var traces = chart.FindComponent<PlotlyChart>().Instance.Data.Cast<Scatter>().ToList();
        Assert.Equal([3.0, 7.0], traces[0].Y.Cast<double>());
        Assert.Equal([-1.0, 0.5], traces[1].Y.Cast<double>());
        Assert.Contains("Cumulative incremental margin against control", chart.Markup);
    }

    [Fact]
    public void NoSeries_SaysThereIsNothingToCompare()
    {
        var chart = Render<IncrementalChart>(p => p.Add(c => c.Series, Array.Empty<IncrementalSeries>()).Add(c => c.Subject, "run 7"));

        Assert.Contains("No variant has a control group to compare with.", chart.Markup);
        Assert.Empty(chart.FindComponents<PlotlyChart>());
    }
}
