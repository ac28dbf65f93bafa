using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Customers;

// Against the app on a store loaded with sample-data/ (see sample-data/README.md for the planted problems).
[Collection(AppCollection.Name)]
public sealed class CustomerJourneyTests(AppFixture app)
{
    [Fact]
    public async Task SearchCustomer_OpenProfile_ChartsRender()
    {
        var page = await app.OpenAsync("/customers");
        // Other journeys in this app may have imported a few customers since.
        await page.WaitForSelectorAsync("text=/5,0\\d\\d customers/");
        await AppFixture.ScreenshotAsync(page, "customers-list");

        await page.FillAsync("#customer-search", "ljohnson1@");
        await page.WaitForSelectorAsync("text=1 customers");
        await page.ClickAsync("a[href='customers/C0000001']");

        await page.WaitForURLAsync("**/customers/C0000001");
        await page.WaitForSelectorAsync("#profile-name:has-text('Lauren Johnson')");
        // Plotly draws each chart into an svg.main-svg once its script has run.
        await page.WaitForSelectorAsync("#category-mix .main-svg");
        await page.WaitForSelectorAsync("#monthly-spend .main-svg");
        Assert.True(await page.Locator("#category-mix .modebar").CountAsync() > 0);
        // C0001972 is the same person with the same phone (planted duplicate).
        Assert.Contains("possible duplicate of", await page.InnerTextAsync("#profile-issues"));
        Assert.Equal(1, await page.Locator("#profile-issues a[href='customers/C0001972']").CountAsync());
        await AppFixture.ScreenshotAsync(page, "customer-profile");
    }

    [Fact]
    public async Task Profile_InvalidEmail_IsShownAsSuspect()
    {
        var page = await app.OpenAsync("/customers/C0000039");
        await page.WaitForSelectorAsync("#profile-identity");

        Assert.Equal("suspect", await page.GetAttributeAsync("tr[data-field=email]", "data-status"));
        Assert.Contains("email fails validation", await page.InnerTextAsync("tr[data-field=email]"));
        await AppFixture.ScreenshotAsync(page, "customer-profile-suspect");
    }

    [Fact]
    public async Task Search_NoMatch_SaysSo()
    {
        var page = await app.OpenAsync("/customers");
        await page.FillAsync("#customer-search", "zzzz-nobody");

        await page.WaitForSelectorAsync("text=No customer matches these filters.");
        // The total can trail the rows by a render: waited for, not read once.
        await Assertions.Expect(page.Locator("#customer-total")).ToHaveTextAsync("0 customers");
        await AppFixture.ScreenshotAsync(page, "customers-empty");
    }

    [Fact]
    public async Task Profile_UnknownId_SaysSo()
    {
        var page = await app.OpenAsync("/customers/C9999999");
        await page.WaitForSelectorAsync("#customer-not-found");

        Assert.Contains("C9999999", await page.InnerTextAsync("#customer-not-found"));
        await AppFixture.ScreenshotAsync(page, "customer-profile-unknown");
    }

    [Fact]
    public async Task ExportList_DownloadsTheFilteredCustomersAsCsv()
    {
        var page = await app.OpenAsync("/customers");
        await page.FillAsync("#customer-search", "C000001");
        await page.WaitForSelectorAsync("text=10 customers");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-customers"));
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();

        // C0000010 … C0000019: ten customers and the header.
        Assert.Equal(11, lines.Count);
        Assert.StartsWith("customer_id,first_name,last_name,email,region,loyalty_tier,orders,net_revenue,last_purchase_at,consent_email", lines[0]);
        Assert.StartsWith("C0000010,", lines[1]);
        await AppFixture.ScreenshotAsync(page, "customers-search");
    }

    [Fact]
    public async Task QualityPage_FindsThePlantedProblems()
    {
        var page = await app.OpenAsync("/quality");
        await page.WaitForSelectorAsync("#quality-checks");

        // sample-data/README.md: 15 invalid emails, 10 duplicate people (5 by email, 5 by phone); the 10 orphan order
        // lines were rejected at import, so they show under "Rejected at import", not as orphans in the store.
        Assert.Equal("15", await page.GetAttributeAsync("tr[data-check=invalid-email] [data-offenders]", "data-offenders"));
        Assert.Equal("5", await page.GetAttributeAsync("tr[data-check=duplicate-email] [data-offenders]", "data-offenders"));
        Assert.Equal("5", await page.GetAttributeAsync("tr[data-check=duplicate-phone] [data-offenders]", "data-offenders"));
        Assert.Equal("0", await page.GetAttributeAsync("tr[data-check=orphan-line-customer] [data-offenders]", "data-offenders"));
        Assert.Contains("10", await page.InnerTextAsync("#quality-rejected"));
        await page.WaitForSelectorAsync("#quality-trend .main-svg");
        await page.WaitForSelectorAsync("#recompute");
        await AppFixture.ScreenshotAsync(page, "quality");

        await page.ClickAsync("tr[data-check=duplicate-phone] a");
        await page.WaitForSelectorAsync("#records-total:has-text('5 records')");
        await AppFixture.ScreenshotAsync(page, "quality-records");
        await page.WaitForSelectorAsync("#quality-records td a[href='customers/C0001870']");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-records"));
        var lines = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(l => l.Length > 0).ToList();
        Assert.Equal(6, lines.Count);
        Assert.Equal("customer_id,first_name,last_name,email,phone,country,duplicate_of", lines[0]);
        // A phone of digits after '+' is a plain number to a spreadsheet, never a formula: left as written.
        Assert.Contains(",+447013927323,", lines[1]);

        // Completeness: sample-data's 5,000 customers have 1,322 without a phone (sample-data/README.md: blank for 26 %);
        // customers other journeys imported into this app count too, so the figure is read from the store.
        var withoutPhone = await StoreCountAsync("SELECT COUNT(*) FROM customers WHERE coalesce(trim(phone), '') = ''");
        Assert.InRange(withoutPhone, 1_322, 1_400);
        page = await app.OpenAsync("/quality");
        await page.ClickAsync("[data-missing='customers.phone']");
        await page.WaitForSelectorAsync($"#records-total:has-text('{withoutPhone:N0} records')");
    }

    [Fact]
    public async Task QualityPage_Viewer_ReadsTheFiguresWithoutRecompute()
    {
        var page = await app.OpenAsAsync("/quality", Workbench.Core.Users.Roles.Viewer);
        await page.WaitForSelectorAsync("#quality-checks");
        await page.WaitForSelectorAsync("#quality-trend .main-svg");

        Assert.Equal(0, await page.Locator("#recompute").CountAsync());
        await AppFixture.ScreenshotAsync(page, "quality-viewer");
    }

    [Fact]
    public async Task Api_CustomerProfile_JsonAnd404Problem()
    {
        using var http = await app.ApiClientAsync();

        var found = await http.GetAsync("/api/customers/C0000001");
        var missing = await http.GetAsync("/api/customers/C9999999");
        var openApi = await http.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        using var json = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        Assert.Equal("C0000001", json.RootElement.GetProperty("customerId").GetString());
        Assert.True(json.RootElement.GetProperty("kpis").GetProperty("orders").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/customers/{id}", openApi);
    }

    [Fact]
    public async Task Api_ExportOfTheWholeList_StreamsEveryCustomer()
    {
        using var http = await app.ApiClientAsync();

        var csv = await http.GetStringAsync("/api/customers/export.csv?sort=Revenue&desc=true");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var invalidEmails = await http.GetStringAsync("/api/quality/invalid-email.csv");

        // Every customer (sample-data's 5,000 and any other journey's) and the header, several hundred kilobytes: more
        // than any buffer in between.
        Assert.Equal(await StoreCountAsync("SELECT COUNT(*) FROM customers") + 1, lines.Length);
        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        var revenues = reader.GetRecords<dynamic>().Select(r => double.Parse((string)((IDictionary<string, object>)r)["net_revenue"],
            System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(revenues.OrderByDescending(r => r), revenues);
        Assert.Equal(16, invalidEmails.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private async Task<long> StoreCountAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
