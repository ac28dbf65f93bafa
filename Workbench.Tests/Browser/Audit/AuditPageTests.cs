using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Audit;

[Collection(AppCollection.Name)]
public sealed class AuditPageTests(AppFixture app)
{
    [Fact]
    public async Task AuditPage_ShowsImportsOfSampleData_FiltersToNothing_AndExportsCsv()
    {
        var page = await app.OpenAsync("/audit");
        await page.Locator("#audit-grid", new() { HasText = "sample-data" }).WaitForAsync();
        Assert.Contains("customers.csv", await page.InnerTextAsync("#audit-grid"));
        await AppFixture.ScreenshotAsync(page, "auth-audit-rows");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("at,user,action,entity,entity_id,count,field,from,to", csv);
        Assert.Contains("sample-data,import,import", csv);

        await page.Locator("#filter-from input").FillAsync("2099-01-01");
        await page.Locator("#filter-from input").PressAsync("Tab");
        await page.ClickAsync("#apply-filter");
        await page.Locator("#audit-empty").WaitForAsync();
        await AppFixture.ScreenshotAsync(page, "auth-audit-empty");
    }
}
