using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Features.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Playbook;

// The use-case catalogue and the content-gap matrix over a small store (the starter library for its categories and
// regions; the figures themselves are checked in PlaybookInsightsTests).
public sealed class PlaybookInsightPagesTests : StorePageContext
{
    private long _segment;

    protected override async Task ArrangeAsync(TestStore store)
    {
        await store.ImportAsync(ImportKind.Customers, """
            customer_id,first_name,region,loyalty_tier
            C1,Ann,North,Gold
            C2,Ben,South,
            C3,,North,Silver
            """);
        await store.ImportAsync(ImportKind.Products, Fixtures.Products);
        await store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price
            O1,1,C1,2026-10-01T10:00:00,P1,2,3.50
            O1,2,C1,2026-10-01T10:00:00,P3,1,45
            O2,1,C2,2026-10-03T10:00:00,P2,1,499
            """);
        var saved = await store.Services.GetRequiredService<SegmentService>().SaveAsync(
            new SegmentDraft(null, "Northerners", "", """{"op":"and","conditions":[{"field":"region","operator":"eq","value":"North"}]}""", 0), "tester");
        _segment = saved.Id!.Value;
        // The starter library for these categories and regions, stored as the sample data's first start stores it.
        await store.Services.GetRequiredService<PlaybookStore>().SeedAsync(
            await store.Services.GetRequiredService<PlaybookPreviewService>().StarterAsync(default), "tester", default);
        Use<PlaybookInsightsService>();
        Use<PlaybookStore>();
        Services.AddSingleton(TimeProvider.System);
    }

    private static void WaitLoaded<T>(IRenderedComponent<T> page) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), TimeSpan.FromSeconds(20));

    [Fact]
    public async Task UseCases_EveryUseCaseRanked_EditingAnInputRecomputesItsValue_ResetRestoresIt()
    {
        var page = Render<UseCasesPage>();
        WaitLoaded(page);

        Assert.Equal(StarterLibrary.UseCases.Count, page.FindAll("#use-case-table tbody tr").Count);
        Assert.Equal(Enumerable.Range(1, StarterLibrary.UseCases.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)),
            page.FindAll("#use-case-table [data-testid=rank]").Select(e => e.TextContent.Trim()));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"use-cases-by-estimated-value-and-feasibility_all-use-cases-computed-inputs_{today}.csv",
            page.Find("[data-testid=use-case-chart-csv]").GetAttribute("download"));
        Assert.Contains("use_case_id", Uri.UnescapeDataString(page.Find("[data-testid=use-case-chart-csv]").GetAttribute("href")!));

        // Welcome (its regional plays reach all three): the estimate is audience × uplift × average value as shown in its inputs; 10% instead of 2% is 5×.
        var computed = (await Store.Services.GetRequiredService<PlaybookInsightsService>().UseCasesAsync(default))
            .Single(u => u.UseCase.Id == "uc-welcome").Computed;
        // All three customers (their regions); O1 3.50 × 2 + 45 and O2 499: (52 + 499) / 2 orders.
        Assert.Equal((3L, 275.5), (computed.Audience, computed.AverageValue));
        var (audience, value) = (computed.Audience, computed.AverageValue);
        var row = page.FindAll("#use-case-table tbody tr").Single(r => r.TextContent.Contains("Welcome new customers"));
        Assert.Contains("computed 3", row.TextContent);
        Assert.Contains("computed 275.50", row.TextContent);
        Assert.Equal((audience * 0.02 * value).ToString("N0"), page.Find("[data-testid=estimate-uc-welcome]").TextContent.Trim());
        await page.InvokeAsync(() => page.Find("input[data-testid=uplift-uc-welcome]").Change("10"));
        page.WaitForAssertion(() => Assert.Equal((audience * 0.10 * value).ToString("N0"), page.Find("[data-testid=estimate-uc-welcome]").TextContent.Trim()));
        Assert.Contains("all-use-cases-1-with-edited-inputs", page.Find("[data-testid=use-case-chart-csv]").GetAttribute("download"));
        await page.InvokeAsync(() => page.Find("[data-testid=reset-uc-welcome]").Click());
        page.WaitForAssertion(() => Assert.Equal((audience * 0.02 * value).ToString("N0"), page.Find("[data-testid=estimate-uc-welcome]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=reset-uc-welcome]"));
        Assert.Contains("consent", page.Find("#use-case-table .use-case-feasibility").TextContent);
    }

    // An analyst reads the catalogue; a marketer adds a use case (it joins the table with no plays and no audience) and
    // renames one, and the store holds both. A refused save names the field to fix.
    [Fact]
    public async Task UseCases_AMarketerAddsAndEditsAUseCase_AnAnalystCannot()
    {
        var page = Render<UseCasesPage>();
        WaitLoaded(page);
        Assert.Empty(page.FindAll("[data-testid=new-use-case]"));
        Assert.Empty(page.FindAll("[data-testid=edit-uc-welcome]"));

        SignInAs("mia", Workbench.Core.Users.Roles.Marketer);
        page = Render<UseCasesPage>();
        WaitLoaded(page);
        await page.InvokeAsync(() => page.Find("[data-testid=new-use-case]").Click());
        await page.InvokeAsync(() => page.Find("input[data-testid=use-case-name]").Input("Replenish coffee"));
        await page.InvokeAsync(() => page.Find("input[data-testid=use-case-moment]").Input("expected next purchase reached"));
        await page.InvokeAsync(() => page.Find("[data-testid=use-case-save]").Click());
        page.WaitForAssertion(() => Assert.Contains("name the KPI", page.Find("[data-testid=use-case-problem-kpi]").TextContent));
        await page.InvokeAsync(() => page.Find("input[data-testid=use-case-kpi]").Input("repeat-purchase rate"));
        await page.InvokeAsync(() => page.Find("[data-testid=use-case-save]").Click());
        page.WaitForAssertion(() => Assert.Contains("Replenish coffee", page.Find("[data-testid=use-case-saved]").TextContent));
        Assert.Empty(page.FindAll("#use-case-editor"));
        Assert.Equal(StarterLibrary.UseCases.Count + 1, page.FindAll("#use-case-table tbody tr").Count);
        var added = page.FindAll("#use-case-table tbody tr").Single(r => r.TextContent.Contains("Replenish coffee"));
        Assert.Contains("0 active of 0", added.TextContent);
        Assert.Contains("KPI: repeat-purchase rate", added.TextContent);

        await page.InvokeAsync(() => page.Find("[data-testid=edit-uc-welcome]").Click());
        Assert.Equal("Welcome new customers", page.Find("input[data-testid=use-case-name]").GetAttribute("value"));
        await page.InvokeAsync(() => page.Find("input[data-testid=use-case-name]").Input("Welcome, first 60 days"));
        await page.InvokeAsync(() => page.Find("[data-testid=use-case-save]").Click());
        page.WaitForAssertion(() => Assert.Contains("Welcome, first 60 days", page.Find("#use-case-table").TextContent));

        var stored = await Store.Services.GetRequiredService<PlaybookStore>().UseCasesAsync(default);
        Assert.Equal("Welcome, first 60 days", stored.Single(u => u.Id == "uc-welcome").Name);
        Assert.Equal(new UseCase("replenish-coffee", "Replenish coffee", Objective.Grow, "expected next purchase reached", "repeat-purchase rate", "mia", UseCaseStatus.Proposed),
            stored.Single(u => u.Id == "replenish-coffee"));
    }

    [Fact]
    public void Gaps_RowsPerSavedSegment_CellsLinkToTheLibraryOrANewPlay()
    {
        var page = Render<ContentGapsPage>();
        WaitLoaded(page);

        Assert.Equal(["none", _segment.ToString(CultureInfo.InvariantCulture)], page.FindAll("#gap-matrix tbody tr").Select(r => r.GetAttribute("data-segment")));
        // Starter plays name no segment: Northerners × cross-sell is a gap that opens a prefilled new play; the first row is
        // covered and opens the library.
        var gap = page.Find($"#gap-matrix tr[data-segment='{_segment}'] td[data-objective=cross_sell]");
        Assert.Equal("NoActivePlay", gap.GetAttribute("data-state"));
        Assert.Equal($"/playbook/new?segment={_segment}&objective=cross_sell", gap.QuerySelector("a")!.GetAttribute("href"));
        var covered = page.Find("#gap-matrix tr[data-segment=none] td[data-objective=cross_sell]");
        Assert.Equal("Covered", covered.GetAttribute("data-state"));
        Assert.Equal("/playbook?objective=cross_sell", covered.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Gaps_AChannelFromTheQuery_NarrowsTheCellsAndTheirLinks_AnUnknownOneIsRefused()
    {
        var nav = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo("/playbook/gaps?channel=sms");
        var page = Render<ContentGapsPage>();
        WaitLoaded(page);
        var gap = page.Find($"#gap-matrix tr[data-segment='{_segment}'] td[data-objective=win_back] a");
        Assert.Equal($"/playbook/new?segment={_segment}&objective=win_back&channel=sms", gap.GetAttribute("href"));

        nav.NavigateTo("/playbook/gaps?channel=fax");
        var refused = Render<ContentGapsPage>();
        refused.WaitForAssertion(() => Assert.Contains("'fax' is not a channel", refused.Find("#gaps-problem").TextContent));
        Assert.Empty(refused.FindAll("#gap-matrix"));
    }
}
