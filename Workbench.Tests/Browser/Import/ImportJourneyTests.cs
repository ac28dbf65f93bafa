using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Import;

[Collection(AppCollection.Name)]
public sealed class ImportJourneyTests(AppFixture app)
{
    [Fact]
    public async Task Home_OnAFreshStore_ShowsTheLoadedSampleData()
    {
        var page = await app.OpenAsync("/");

        // Other journeys in this app may have imported a few customers since: the 5,000 of sample-data are there.
        await Assertions.Expect(page.Locator("[data-testid=count-customers]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^5,0\d\d$"));
        await Assertions.Expect(page.Locator("[data-testid=count-products]")).ToHaveTextAsync("300");
        await Assertions.Expect(page.Locator("[data-testid=order-range]")).ToContainTextAsync("22 November 2026");
        await Assertions.Expect(page.Locator("[data-testid=import-history]")).ToContainTextAsync("sample-data");
        await AppFixture.ScreenshotAsync(page, "home");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Import_HostileFileWithAnUnterminatedQuote_IsRefusedAtItsLine()
    {
        var file = Path.Combine(app.StoreDirectory, "transactions-hostile.csv");
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n" +
                                    "H1,1,C0000001,2026-03-01T10:00:00,\"SKU-0001,1,3.50\n");
            for (var i = 0; i < 200_000; i++) await writer.WriteAsync($"H{i + 2},1,C0000001,2026-03-01T10:00:00,SKU-0001,1,3.50\n");
        }
        var page = await app.OpenAsync("/import");

        await page.Locator("input[data-testid=mode-skip]").CheckAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(file);
        // The 9 MB file is uploaded through the circuit and previewed before Start shows: under the parallel browser
        // tests of CI that took longer than 30 s once.
        await page.Locator("[data-testid=start-import]").ClickAsync(new() { Timeout = 90_000 });

        var summary = page.Locator("[data-testid=result-summary]");
        await Assertions.Expect(summary).ToContainTextAsync("Refused: nothing was written.", new() { Timeout = 60_000 });
        var problems = page.Locator("[data-testid=problem-table]");
        await Assertions.Expect(problems).ToContainTextAsync("longer than 65,536 characters (an unterminated quote?)");
        await Assertions.Expect(problems).ToContainTextAsync("2");
        await AppFixture.ScreenshotAsync(page, "import-hostile-refused");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Import_UploadWithInvalidRows_SkipInvalid_ShowsTheSummaryAndDownloadsTheRejectedRows()
    {
        var file = Path.Combine(app.StoreDirectory, "customers-journey.csv");
        await File.WriteAllTextAsync(file,
            "customer_id;first_name;last_name;email;preferred_channel;time_zone\n" +
            "J0001;Jo;Okafor;jo@example.com;email;Europe/London\n" +
            "J0002;Ray;Field;ray@example.com;fax;Europe/London\n" +
            "J0003;Ada;Stone;ada@example.com;sms;Mars/Olympus\n");
        var page = await app.OpenAsync("/import");
        await AppFixture.ScreenshotAsync(page, "import-idle");

        await page.Locator("input[data-testid=mode-skip]").CheckAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(file);

        var preview = page.Locator("[data-testid=import-preview]");
        await Assertions.Expect(preview).ToContainTextAsync("semicolon delimited");
        await Assertions.Expect(preview).ToContainTextAsync("customer_id → customer_id *");
        await Assertions.Expect(page.Locator("[data-testid=preview-rows] tbody tr")).ToHaveCountAsync(3);
        await AppFixture.ScreenshotAsync(page, "import-preview");

        await page.Locator("[data-testid=start-import]").ClickAsync();

        var summary = page.Locator("[data-testid=result-summary]");
        await Assertions.Expect(summary).ToContainTextAsync("Imported.", new() { Timeout = 30_000 });
        await Assertions.Expect(summary).ToContainTextAsync("1 inserted");
        await Assertions.Expect(summary).ToContainTextAsync("2 rejected");
        var problems = page.Locator("[data-testid=problem-table]");
        await Assertions.Expect(problems).ToContainTextAsync("preferred_channel");
        await Assertions.Expect(problems).ToContainTextAsync("time_zone");
        await Assertions.Expect(page.Locator("[data-testid=import-history]")).ToContainTextAsync("customers-journey.csv");
        await AppFixture.ScreenshotAsync(page, "import-done");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-rejected]").ClickAsync());
        var saved = Path.Combine(app.StoreDirectory, "rejected-download.csv");
        await download.SaveAsAsync(saved);
        var lines = await File.ReadAllLinesAsync(saved);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("line;reason", lines[0].Replace(',', ';'));
        Assert.StartsWith("J0002", lines[1]);
        Assert.Contains("fax", lines[1]);
        Assert.StartsWith("J0003", lines[2]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Import_MissingRequiredColumn_IsRefusedBeforeImporting()
    {
        var file = Path.Combine(app.StoreDirectory, "products-bad-header.csv");
        await File.WriteAllTextAsync(file, "sku,title,price\nX1,Thing,3\n");
        var page = await app.OpenAsync("/import");

        await page.Locator("input[type=file]").SetInputFilesAsync(file);

        await Assertions.Expect(page.Locator("[data-testid=preview-missing]")).ToContainTextAsync("name, category");
        await Assertions.Expect(page.Locator("[data-testid=start-import]")).ToBeDisabledAsync();
        await AppFixture.ScreenshotAsync(page, "import-missing-columns");
        await page.Context.CloseAsync();
    }
}
