using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Campaigns;

// A marketer on the sample data sets up a weekly campaign: two plays from the starter library, a 10% control group and
// two variants; saves it as a draft, schedules it, and finds it on the list with its next run.
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

        await page.GotoAsync(app.BaseUrl + "/campaigns");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        var row = page.Locator("[data-testid=campaign-list] tbody tr", new() { HasText = name });
        await Assertions.Expect(row.Locator("[data-testid=campaign-status]")).ToHaveTextAsync("scheduled");
        await Assertions.Expect(row.Locator("[data-testid=campaign-next-run]")).ToHaveTextAsync(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"));
        await AppFixture.ScreenshotAsync(page, "campaigns-list");
    }
}
