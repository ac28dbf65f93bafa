using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Workbench.Cli;
using Workbench.Core;
using Workbench.Core.Campaigns;
using Workbench.Core.Data;
using Workbench.Core.Playbook;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;
using P = DocumentFormat.OpenXml.Presentation;

namespace Workbench.Tests.Browser.Reports;

// The real app on a store of its own: 40 customers with e-mail consent, one service play (exempt from caps and quiet
// hours, so a run sends whatever the hour), and a scheduled campaign with a 30% control group and two variants; no run
// yet. RunCampaignAsync runs it (as another process on the store would) and imports purchases inside its window.
public sealed class ReportsAppFixture : AppFixture
{
    protected override bool LoadSampleData => false;

    protected override async Task SeedAsync()
    {
        var (customers, consents) = CampaignSeeding.Reachable("R", 40, "Rae");
        await File.WriteAllTextAsync(Path.Combine(StoreDirectory, "customers.csv"), customers);
        await File.WriteAllTextAsync(Path.Combine(StoreDirectory, "consents.csv"), consents);
        await File.WriteAllTextAsync(Path.Combine(StoreDirectory, "plays.json"), CampaignSeeding.ServicePlayFile());
        await CliAsync("import", "customers", Path.Combine(StoreDirectory, "customers.csv"));
        await CliAsync("import", "consents", Path.Combine(StoreDirectory, "consents.csv"));
        await File.WriteAllTextAsync(Path.Combine(StoreDirectory, "products.csv"), "sku,name,category,price,unit_cost\nS1,Scarf,Winter,20,8\n");
        await CliAsync("import", "products", Path.Combine(StoreDirectory, "products.csv"));
        await CliAsync("plays", "import", Path.Combine(StoreDirectory, "plays.json"));
        await using var core = CoreServices();
        var campaigns = core.GetRequiredService<CampaignStore>();
        var created = (await campaigns.CreateAsync(new Campaign("", "Winter receipts", "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["receipt"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * *"), 30, [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]), "ann", default)).Saved!;
        await campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default);
        _campaignId = created.Id;
    }

    private string _campaignId = "";

    public async Task<long> RunCampaignAsync()
    {
        await using var core = CoreServices();
        var campaign = (await core.GetRequiredService<CampaignStore>().GetAsync(_campaignId, default))!;
        var runner = core.GetRequiredService<CampaignRunner>();
        var run = (await runner.ClaimManualAsync(campaign, "ann", default))!.Value;
        if (!await runner.ExecuteAsync(run, null, default)) throw new InvalidOperationException($"run {run} did not finish");
        var asOf = (await runner.GetAsync(run, default))!.AsOf;
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n");
        for (var i = 0; i < 40; i += 2)
            lines.Append(CultureInfo.InvariantCulture, $"o{i},1,R{i:D2},{asOf.AddHours(1 + i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)},S1,1,{10 + i}\n");
        var file = Path.Combine(StoreDirectory, "transactions.csv");
        await File.WriteAllTextAsync(file, lines.ToString());
        await CliAsync("import", "transactions", file);
        return run;
    }

    private ServiceProvider CoreServices() => new ServiceCollection()
        .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddWorkbenchCore(StoreLocation.Resolve($"Data Source={DatabasePath}", StoreDirectory))
        .BuildServiceProvider();

    private async Task CliAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await CommandLine.RunAsync([.. args, "--db", DatabasePath], stdout, stderr);
        if (exit != 0) throw new InvalidOperationException($"{string.Join(' ', args)}: exit {exit}\n{stdout}\n{stderr}");
    }
}

// A manager opens KPI packs before any run (the empty state), then, once a campaign has run, builds a pack of it, waits
// for it in the list and downloads the deck, which opens with its slides and chart images.
public sealed class KpiPackJourneyTests(ReportsAppFixture app) : IClassFixture<ReportsAppFixture>
{
    [Fact]
    public async Task EmptyPage_ThenBuildAPackOfTheRun_ItIsListed_AndTheDownloadedDeckOpens()
    {
        var page = await app.OpenAsync("/reports");
        await Assertions.Expect(page.Locator("[data-testid=packs-no-runs]")).ToContainTextAsync("No campaign run has finished yet");
        await Assertions.Expect(page.Locator("[data-testid=packs-empty]")).ToContainTextAsync("No KPI pack yet.");
        await Assertions.Expect(page.Locator("nav a[href=reports]")).ToContainTextAsync("KPI packs");
        await AppFixture.ScreenshotAsync(page, "reports-empty");

        var run = await app.RunCampaignAsync();
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await page.Locator("#pack-runs .mud-input-control").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"run {run}," }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=pack-runs-chosen]")).ToContainTextAsync($"Winter receipts (run {run}");
        // Tab commits the field, and the server has the title once its counter says so (a click racing the input
        // event built "KPI pack …" in one run). A fill that lands while the server still re-renders after the run was
        // chosen can be overwritten by that render (the field came back empty once under load): then it is filled again.
        var counter = page.Locator(".mud-input-helper-text", new() { HasTextRegex = new Regex(@"13\s*/\s*120") });
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("input[data-testid=pack-title]").FillAsync("Winter review");
            await page.Locator("input[data-testid=pack-title]").PressAsync("Tab");
            try
            {
                await Assertions.Expect(counter).ToBeVisibleAsync(new() { Timeout = 10_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
        await page.Locator("[data-testid=build-pack]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=packs-message]")).ToContainTextAsync("queued");
        var row = page.Locator("[data-testid=pack-row]", new() { HasText = "Winter review" });
        await Assertions.Expect(row.Locator("[data-testid=pack-status]")).ToHaveTextAsync("succeeded", new() { Timeout = 90_000 });
        await Assertions.Expect(row).ToContainTextAsync($"Winter receipts (run {run})");
        await Assertions.Expect(row).ToContainTextAsync(AppFixture.AdminUserName);
        await AppFixture.ScreenshotAsync(page, "reports-list");

        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-testid=pack-download-pptx]").ClickAsync());
        Assert.Matches(new Regex(@"^kpi-pack-\d+-winter-review\.pptx$"), download.SuggestedFilename);
        using (var document = PresentationDocument.Open((await download.PathAsync())!, false))
        {
            var presentation = document.PresentationPart!;
            var slides = presentation.Presentation!.SlideIdList!.Elements<P.SlideId>()
                .Select(s => (SlidePart)presentation.GetPartById(s.RelationshipId!.Value!)).ToList();
            var withImages = slides.Count(s => s.ImageParts.Any());
            Assert.True(withImages >= 4, $"{withImages} chart slides of {slides.Count}");
            Assert.True(slides.Count > withImages + 1, "a title slide and a table slide besides the charts");
        }

        // The HTML file, fetched as the browser would: an attachment, never cached; an unknown pack is a problem.
        var id = await row.GetAttributeAsync("data-pack-id");
        var html = await page.APIRequest.GetAsync($"{app.BaseUrl}/api/reports/packs/{id}/html");
        Assert.True(html.Ok, await html.TextAsync());
        Assert.StartsWith("attachment;", html.Headers["content-disposition"]);
        Assert.Equal("no-store", html.Headers["cache-control"]);
        Assert.Contains("data:image/png;base64,", await html.TextAsync());
        var missing = await page.APIRequest.GetAsync($"{app.BaseUrl}/api/reports/packs/999999/pptx");
        Assert.Equal(404, missing.Status);
        Assert.StartsWith("application/problem+json", missing.Headers["content-type"]);
    }
}
