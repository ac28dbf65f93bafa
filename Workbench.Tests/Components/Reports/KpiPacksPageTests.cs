using Bunit;
using Workbench.Core.Reports;
using Workbench.Core.Users;
using Workbench.Features.Reports;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Reports;

public sealed class KpiPacksPageTests : StorePageContext
{
    protected override Task ArrangeAsync(TestStore store)
    {
        Use<KpiPackService>();
        Use<WeeklyKpiPackOptions>();
        Use<TimeProvider>();
        return Task.CompletedTask;
    }

    private Task AddPacksAsync() => Store.RowsAsync("""
        INSERT INTO kpi_packs (title, period_from, period_to, run_ids, weekly, week_key, status, created_at, created_by, finished_at, error,
                               pptx, html, pptx_bytes, html_bytes)
        VALUES ('November <review>', '2026-11-01 00:00:00', '2026-12-01 00:00:00', '7', 0, NULL, 'Succeeded', '2026-12-01 09:30:00', 'ann',
                '2026-12-01 09:30:05', NULL, x'00', x'00', 2048, 1048576),
               ('Weekly KPI pack 2026-W48', '2026-11-23 00:00:00', '2026-11-30 00:00:00', '', 1, '2026-W48', 'Failed', '2026-11-30 06:00:00',
                'weekly schedule', '2026-11-30 06:00:02', 'Run 3 no longer exists.', NULL, NULL, 0, 0)
        """);

    [Fact]
    public void EmptyStore_SaysThereIsNoRunToPackAndNoPackYet()
    {
        var page = Render<KpiPacksPage>();

        page.WaitForAssertion(() => Assert.Contains("No campaign run has finished yet, so there is nothing to pack.", page.Find("[data-testid=packs-no-runs]").TextContent));
        Assert.Contains("No KPI pack yet.", page.Find("[data-testid=packs-empty]").TextContent);
        Assert.Contains("every Monday at 06:00 (UTC)", page.Find("[data-testid=packs-explained]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=build-pack]"));
        Assert.Empty(page.FindAll("[data-testid=packs-list]"));
    }

    [Fact]
    public async Task List_ShowsEachPacksPeriodAuthorSizeAndStatus_DownloadsOnlyForAFinishedPack()
    {
        await AddPacksAsync();
        var page = Render<KpiPacksPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=pack-row]").Count));
        var rows = page.FindAll("[data-testid=pack-row]");
        var weekly = rows[0];
        var november = rows[1];
        Assert.Contains("November <review>", november.TextContent);
        Assert.Contains("2026-11-01 – 2026-11-30", november.TextContent); // the last day included, not the stored end
        Assert.Contains("run 7", november.TextContent); // the run is gone from this store: its id still shows
        Assert.Contains("2026-12-01 09:30 UTC", november.TextContent);
        Assert.Contains("ann", november.TextContent);
        Assert.Contains("PPTX 2 KB, HTML 1.0 MB", november.TextContent);
        Assert.Equal("succeeded", november.QuerySelector("[data-testid=pack-status]")!.TextContent.Trim());
        var id = november.GetAttribute("data-pack-id");
        Assert.Equal($"api/reports/packs/{id}/pptx", november.QuerySelector("[data-testid=pack-download-pptx]")!.GetAttribute("href"));
        Assert.Equal($"api/reports/packs/{id}/html", november.QuerySelector("[data-testid=pack-download-html]")!.GetAttribute("href"));

        Assert.Contains("weekly", weekly.TextContent);
        Assert.Contains("2026-11-23 – 2026-11-29", weekly.TextContent);
        Assert.Contains("none", weekly.TextContent);
        Assert.Equal("Run 3 no longer exists.", weekly.QuerySelector("[data-testid=pack-error]")!.TextContent);
        Assert.Null(weekly.QuerySelector("[data-testid=pack-download-pptx]"));
        Assert.Empty(page.FindAll("[data-testid=packs-empty]"));
    }

    [Fact]
    public async Task Viewer_ReadsTheListButGetsNoBuildForm()
    {
        await AddPacksAsync();
        SignInAs("vic", Roles.Viewer);
        var page = Render<KpiPacksPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=pack-row]").Count));
        Assert.Empty(page.FindAll("[data-testid=packs-no-runs]"));
        Assert.Empty(page.FindAll("[data-testid=pack-form]"));
    }
}
