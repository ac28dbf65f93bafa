using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Campaigns;

// A marketer on the sample data sets up a weekly campaign: two plays from the starter library, a 10% control group and
// two variants; saves it as a draft, schedules it, sees its forecast, runs it now, downloads the send list, opens one
// customer's "why this offer", finds it on the list with its next run and on the calendar.
[Collection(AppCollection.Name)]
public sealed class CampaignJourneyTests(AppFixture app)
{
    [Fact]
    public async Task NewCampaign_TwoPlaysControlAndVariants_SavedScheduledAndListed()
    {
        var page = await app.OpenAsync("/campaigns");
        await page.SetViewportSizeAsync(1440, 1000);
        await page.WaitForSelectorAsync("[data-testid=campaigns-empty], [data-testid=campaign-list]");
        await AppFixture.ScreenshotAsync(page, "campaigns-list-before");
        await page.GotoAsync(app.BaseUrl + "/campaigns/calendar");
        await page.WaitForSelectorAsync("[data-testid=calendar-empty], [data-testid=calendar-coming]");
        await AppFixture.ScreenshotAsync(page, "campaigns-calendar-before");
        await page.GotoAsync(app.BaseUrl + "/campaigns");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });

        await page.Locator("[data-testid=new-campaign]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/campaigns/new$"), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        // Saved with nothing chosen: refused, each problem naming its field.
        await page.Locator("[data-testid=save-campaign]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=campaign-problem][data-field=playIds]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=campaign-problem][data-field=name]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "campaign-new-refused");
        var name = "Weekly birthdays " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("input[data-testid=campaign-name]").FillAsync(name);
        await page.Locator("#campaign-plays .mud-input-control").First.ClickAsync();
        var options = page.Locator(".mud-popover-open .mud-list-item");
        await options.Nth(0).ClickAsync();
        await options.Nth(1).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=campaign-plays-chosen]")).Not.ToHaveTextAsync("none chosen");
        await page.Locator("input[data-testid=campaign-control]").FillAsync("10");
        await Assertions.Expect(page.Locator("[data-testid=campaign-variant]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=variant-percent-0]")).ToHaveTextAsync("45% of the audience");
        await Assertions.Expect(page.Locator("[data-testid=schedule-next-runs]")).ToContainTextAsync("Next runs (UTC):");
        await AppFixture.ScreenshotAsync(page, "campaign-new");

        await page.Locator("[data-testid=save-campaign]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/campaigns/weekly-birthdays-[0-9a-f]{6}$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=campaign-header-status]")).ToHaveTextAsync("draft");
        await Assertions.Expect(page.Locator("[data-testid=campaign-version]")).ToHaveCountAsync(1);

        await page.Locator("[data-testid=campaign-to-scheduled]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=campaign-saved]")).ToContainTextAsync("Saved version 2: scheduled, next run");
        await Assertions.Expect(page.Locator("[data-testid=campaign-header-status]")).ToHaveTextAsync("scheduled");
        await Assertions.Expect(page.Locator("[data-testid=campaign-version]")).ToHaveCountAsync(2);
        await AppFixture.ScreenshotAsync(page, "campaign-scheduled");

        // The forecast, on the campaign opened afresh: the decisions a run would make now, counted, nothing written. (The
        // panel shows its buttons once it has loaded the campaign's runs.)
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("[data-testid=campaign-no-runs]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=campaign-forecast]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-title]")).ToContainTextAsync("nothing written", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=campaign-no-runs]")).ToBeVisibleAsync();
        var forecastTargeted = await page.Locator("[data-testid=forecast-title] ~ * [data-testid=run-targeted]").First.TextContentAsync();
        await AppFixture.ScreenshotAsync(page, "campaign-forecast");
        var power = page.Locator("[data-testid=launch-power]");
        await Assertions.Expect(power.Locator("[data-testid=launch-power-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(power.Locator("[data-testid=launch-power-baseline]")).ToContainTextAsync("Your assumption");
        await AppFixture.ScreenshotAsync(power, "campaign-launch-power");

        // Run it now: the run page follows it to its end, with the same figures as the forecast.
        await page.Locator("[data-testid=campaign-run-now]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs/\d+$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("succeeded", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-targeted]")).ToHaveTextAsync(forecastTargeted!.Trim());
        await Assertions.Expect(page.Locator("[data-testid=run-by-arm]")).ToContainTextAsync("control");
        await AppFixture.ScreenshotAsync(page, "campaign-run");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=run-download]").ClickAsync());
        var path = await download.PathAsync();
        var csv = await File.ReadAllLinesAsync(path!);
        Assert.Equal("send_id,customer_id,play_id,variant,channel,content_ref,arm,send_at,decided_at", csv[0]);
        var sent = long.Parse((await page.Locator("[data-testid=run-sent]").TextContentAsync())!.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sent, csv.Length - 1);

        // Every targeted customer, sent or not, with why; one customer's "why this offer".
        await page.GetByText("Sends only", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Every targeted customer", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-sends] tbody tr").First).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "campaign-run-targeted");
        await page.Locator("[data-testid=run-send-why]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/decisioning/why\?customer="), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await AppFixture.ScreenshotAsync(page, "campaign-run-why");

        await page.GotoAsync(app.BaseUrl + "/campaigns");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        var row = page.Locator("[data-testid=campaign-list] tbody tr", new() { HasText = name });
        await Assertions.Expect(row.Locator("[data-testid=campaign-status]")).ToHaveTextAsync("scheduled");
        await Assertions.Expect(row.Locator("[data-testid=campaign-next-run]")).ToHaveTextAsync(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        await AppFixture.ScreenshotAsync(page, "campaigns-list");

        // The calendar: its coming Monday runs, and the run made now among the last 7 days.
        await page.Locator("[data-testid=campaigns-calendar-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/campaigns/calendar$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=calendar-entry]", new() { HasText = name }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=calendar-run]", new() { HasText = name })).ToContainTextAsync("run now");
        await AppFixture.ScreenshotAsync(page, "campaigns-calendar");
    }
}
