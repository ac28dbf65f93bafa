using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Core.Experiments;
using Workbench.Features.Experiments;
using Workbench.Security;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Experiments;

public sealed class AnalyseFilePageTests : BunitContext, IAsyncLifetime
{
    private TestStore _store = null!;

    // 40 units in two regions. North: control converts 3 of 10, treatment 10 of 10; south: 2 of 10 in both. Revenue follows conversion.
    private static readonly string File = "user,arm,region,converted,revenue\n" + string.Concat(Enumerable.Range(0, 40).Select(i =>
    {
        var treatment = i >= 20;
        var k = i % 20;
        var converted = k < 10 ? treatment || k < 3 : k < 12;
        return $"u{i},{(treatment ? "new" : "base")},{(k < 10 ? "north" : "south")},{(converted ? 1 : 0)},{(converted ? 10 + i % 7 : 0)}\n";
    }));

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(new ExperimentFileAnalyzer());
        Services.AddSingleton(_store.Location);
        Services.AddSingleton(new UploadLimits(1_000_000));
        AddAuthorization().SetAuthorized("ana");
        Render<MudPopoverProvider>();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Upload_GuessesTheColumns_AndAnalyseShowsHealthChartsAndResults()
    {
        var page = Render<AnalyseFilePage>();
        Assert.Empty(page.FindAll("[data-testid=analysis-setup]"));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "test.csv"));

        page.WaitForAssertion(() => page.Find("[data-testid=analysis-setup]"));
        var choice = page.FindComponent<AnalysisSetupForm>().Instance.Choice;
        Assert.Equal("arm", choice.VariantColumn);
        Assert.Equal("base", choice.Control);
        Assert.Equal("user", choice.UnitColumn);
        Assert.Equal(["converted", "revenue"], choice.Metrics);

        await page.InvokeAsync(() => page.Find("[data-testid=run-analysis]").Click());

        page.WaitForAssertion(() => page.Find("[data-testid=results-table]"), TimeSpan.FromSeconds(30));
        Assert.Contains("40 units", page.Find("[data-testid=health-summary]").TextContent);
        Assert.Contains("Duplicate units: 0", page.Find("[data-testid=health-summary]").TextContent);
        Assert.Contains("converted (rate), revenue (mean)", page.Find("[data-testid=conventions]").TextContent);
        var rows = page.FindAll("[data-testid=results-table] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("+35.00 pp", rows[0].TextContent); // 12/20 − 5/20
        Assert.NotNull(page.Find("#lift-chart"));
        Assert.Contains("Choose a segment column", page.Markup);
    }

    [Fact]
    public async Task SignificantOnlyFilter_HidesTheRowsAboveTheLine()
    {
        var page = Render<AnalyseFilePage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(File, "test.csv"));
        page.WaitForAssertion(() => page.Find("[data-testid=run-analysis]"));
        page.FindComponent<AnalysisSetupForm>().Instance.Choice.SegmentColumn = "region";
        await page.InvokeAsync(() => page.Find("[data-testid=run-analysis]").Click());
        page.WaitForAssertion(() => page.Find("[data-testid=results-table]"), TimeSpan.FromSeconds(30));
        Assert.Equal(6, page.FindAll("[data-testid=results-table] tbody tr").Count); // 2 metrics × (all + 2 segments)

        var toggle = page.Find("[data-testid=filter-significant]");
        (toggle.TagName == "INPUT" ? toggle : toggle.QuerySelector("input")!).Change(true);

        var report = page.FindComponent<AnalysisResultsTable>().Instance.Report;
        var significant = report.Results.Count(r => r.AdjustedPValue < 0.05);
        Assert.InRange(significant, 1, 5);
        page.WaitForAssertion(() => Assert.Equal(significant, page.FindAll("[data-testid=results-table] tbody tr").Count));
        Assert.NotNull(page.Find("#segment-heatmap"));
    }

    [Fact]
    public async Task BadValue_ShowsTheFileLineAndColumn_AndNoResults()
    {
        var page = Render<AnalyseFilePage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "arm,converted\n" + string.Concat(Enumerable.Range(0, 1_001).Select(i => i % 2 == 0 ? "base,1\n" : "new,0\n")) + "new,maybe\n", "bad.csv"));
        page.WaitForAssertion(() => page.Find("[data-testid=run-analysis]"));

        await page.InvokeAsync(() => page.Find("[data-testid=run-analysis]").Click()); // the first 1,000 rows were fine: converted is offered as a rate

        page.WaitForAssertion(() => Assert.Equal("bad.csv:1003: converted: 'maybe' is not a number (a dot for decimals; TRUE/FALSE or 0/1 for yes/no)",
            page.Find("[data-testid=analysis-error]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=results-table]"));
    }
}
