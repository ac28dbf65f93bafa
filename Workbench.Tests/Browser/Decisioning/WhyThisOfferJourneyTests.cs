using Microsoft.Playwright;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Decisioning;

// On the sample data with its starter playbook: a marketer asks why a customer gets what they get.
[Collection(AppCollection.Name)]
public sealed class WhyThisOfferJourneyTests(AppFixture app)
{
    [Fact]
    public async Task WhyThisOffer_ForASampleCustomer_ShowsTheDecisionAndEveryPlayWithItsReasons()
    {
        var page = await app.OpenAsAsync("/decisioning/why", Roles.Marketer);
        await Assertions.Expect(page.Locator("[data-testid=why-empty]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "decisioning-why-empty");

        await page.Locator("input[data-testid=why-customer]").FillAsync("C0000001");
        await page.Locator("[data-testid=why-decide]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=why-chosen]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        // The starter playbook's 304 plays, each on its channels; a page of 25 rows at a time.
        var heading = await page.GetByText("Every play considered (").TextContentAsync();
        var considered = int.Parse(heading!.Split('(', ')')[1]);
        Assert.True(considered >= 304, heading);
        var rows = page.Locator("tr.why-row");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        await Assertions.Expect(page.Locator("[data-testid=why-blocked-by]")).ToContainTextAsync("Blocked first by:");
        await page.Locator("[data-testid=why-expand]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=why-reasons]")).ToContainTextAsync("the play is active");
        await AppFixture.ScreenshotAsync(page, "decisioning-why-customer");
        await page.Locator("[data-testid=why-show]").GetByText("Blocked (").ClickAsync();
        await Assertions.Expect(page.Locator("tr.why-row").First).ToContainTextAsync("blocked:");
        await page.Locator("input[data-testid=why-search]").FillAsync("no-play-has-this-name");
        await Assertions.Expect(rows).ToHaveCountAsync(0);

        await page.Locator("input[data-testid=why-customer]").FillAsync("no-such-customer");
        await page.Locator("[data-testid=why-decide]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=why-problem]")).ToContainTextAsync("not found");
        await AppFixture.ScreenshotAsync(page, "decisioning-why-unknown");
        await page.Context.CloseAsync();
    }
}
