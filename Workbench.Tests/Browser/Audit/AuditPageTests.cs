using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Audit;

[Collection(AppCollection.Name)]
public sealed class AuditPageTests(AppFixture app)
{
    [Fact]
    public async Task AuditPage_ShowsImportsOfSampleData_FiltersToNothing_AndExportsCsv()
    {
        // A script reading one customer in a loop: kept as one entry per hour with the count of reads.
        using var script = await app.ApiClientAsync(Workbench.Core.Users.Roles.Marketer);
        for (var i = 0; i < 5; i++) (await script.GetAsync("/api/customers/C0000001")).EnsureSuccessStatusCode();
        var page = await app.OpenAsync("/audit");
        await page.Locator("#audit-grid", new() { HasText = "sample-data" }).WaitForAsync();
        await AppFixture.ScreenshotAsync(page, "auth-audit-rows");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("at,user,action,entity,entity_id,count,field,from,to", csv);
        Assert.Contains("sample-data,import,import", csv);
        var reads = csv.Split('\n').Where(l => l.Contains(",test-marketer,view,customer,C0000001,")).ToList();
        Assert.InRange(reads.Count, 1, 2);
        Assert.Equal(5, reads.Sum(l => int.Parse(l.Split(',')[5])));
        await Assertions.Expect(page.Locator("#audit-grid .audit-count").First).ToContainTextAsync(" in that hour");

        // The sample experiment's seed wrote after the imports (segments, a play, a campaign, its run): the imports alone.
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await page.Locator("#filter-entity").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^import$") }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        // Apply may reach the circuit before the chosen entity did (one CI run showed the unfiltered list): apply again until it shows.
        var importsOnly = page.Locator("#audit-grid", new() { HasText = "customers.csv" });
        for (var attempt = 0; attempt < 3 && !await importsOnly.IsVisibleAsync(); attempt++)
        {
            await page.ClickAsync("#apply-filter");
            try { await importsOnly.WaitForAsync(new() { Timeout = 10_000 }); } catch (TimeoutException) { }
        }
        await Assertions.Expect(page.Locator("#audit-grid")).ToContainTextAsync("customers.csv");

        await page.Locator("#filter-from input").FillAsync("2099-01-01");
        await page.Locator("#filter-from input").PressAsync("Tab");
        await page.ClickAsync("#apply-filter");
        await page.Locator("#audit-empty").WaitForAsync();
        await AppFixture.ScreenshotAsync(page, "auth-audit-empty");
    }
}
