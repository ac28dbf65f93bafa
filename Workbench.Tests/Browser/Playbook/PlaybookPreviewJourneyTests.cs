using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Workbench.Core.Playbook;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Playbook;

// On the sample data with the starter library: which customer a play reaches is asked of Core in the test, then the
// pages must show exactly that.
[Collection(AppCollection.Name)]
public sealed class PlaybookPreviewJourneyTests(AppFixture app)
{
    // The first sample customer that some active play reaches by e-mail now, with that play.
    private async Task<(string Customer, CustomerPlay Play)> EmailReachAsync()
    {
        (string, CustomerPlay)? found = null;
        await app.WithStoreAsync(async services =>
        {
            var previews = services.GetRequiredService<PlaybookPreviewService>();
            for (var i = 1; i <= 200 && found is null; i++)
            {
                var id = $"C{i:0000000}";
                var now = (await previews.CustomerPlaysAsync(id, PlayChannels.Email, null, false, default)).Result!;
                if (now.Eligible.FirstOrDefault() is { } play) found = (id, play);
            }
        });
        Assert.True(found is not null, "no sample customer among the first 200 is reached by e-mail");
        return found!.Value;
    }

    [Fact]
    public async Task Profile_PlaysNow_ToThePreview_EmailInItsSandboxedFrame_WithTheReasons()
    {
        var (customer, play) = await EmailReachAsync();
        var page = await app.OpenAsync($"/customers/{customer}");
        var row = page.Locator($"#profile-plays [data-testid=eligible-play][data-play='{play.PlayId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=plays-summary]")).ToContainTextAsync("active plays would reach this customer now");
        await row.Locator("[data-testid=toggle-play]").ClickAsync();
        await Assertions.Expect(row.Locator("iframe[data-testid=email-frame]")).ToBeVisibleAsync();
        await page.Locator("#profile-plays").ScrollIntoViewIfNeededAsync();
        await AppFixture.ScreenshotAsync(page, "playbook-profile-plays-now");

        await row.Locator("[data-testid=play-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/playbook/preview\\?play={Regex.Escape(play.PlayId)}&customer={customer}$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=verdict-email]")).ToHaveAttributeAsync("data-eligible", "true");
        var frame = page.Locator("[data-testid=channel-email] iframe");
        Assert.Equal("", await frame.GetAttributeAsync("sandbox"));
        // The frame shows the rendered e-mail (its heading), and no script could run in it.
        await Assertions.Expect(page.FrameLocator("[data-testid=channel-email] iframe").Locator("h1")).ToBeVisibleAsync();
        Assert.Equal(play.Message!.Subject, await page.Locator("[data-testid=email-subject]").TextContentAsync());
        var reasons = page.Locator("[data-testid=reasons-email] [data-testid=reason]");
        Assert.Equal(play.Reasons.Count, await reasons.CountAsync());
        await Assertions.Expect(reasons.Filter(new() { HasText = "consent for email granted" })).ToHaveAttributeAsync("data-allowed", "true");
        await AppFixture.ScreenshotAsync(page, "playbook-preview-email");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Preview_PickCustomerAndPlay_BySearch_ThenABlockedChannelShowsItsFirstReason()
    {
        var page = await app.OpenAsync("/playbook/preview");
        await Assertions.Expect(page.Locator("[data-testid=preview-empty]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "playbook-preview-empty");

        await page.Locator("input[data-testid=customer-search]").FillAsync("C0000002");
        await ChooseAsync(page, page.Locator("[data-testid=customer-option][data-customer=C0000002]"), new Regex("customer=C0000002"));
        await page.Locator("input[data-testid=play-search]").FillAsync("birthday-gold");
        await ChooseAsync(page, page.Locator("[data-testid=play-option][data-play=birthday-gold]"), new Regex("play=birthday-gold"));

        await Assertions.Expect(page.Locator("[data-testid=preview-play-name]")).ToHaveTextAsync("Birthday treat for Gold members");
        await Assertions.Expect(page.Locator("[data-testid=sms-measure]")).ToContainTextAsync("segment");
        // A birthday play reaches almost no one on a given day: at least one channel is blocked, its first reason marked.
        await Assertions.Expect(page.Locator("[data-first-blocking=true]").First).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "playbook-preview-sms-blocked");
        await page.Context.CloseAsync();
    }

    // Picks a search result and waits for the address to say so. The result list is re-rendered while the debounced
    // search settles, and a click on an option being replaced is lost; the click is repeated until the choice shows.
    private static async Task ChooseAsync(IPage page, ILocator option, Regex url)
    {
        for (var attempt = 1; ; attempt++)
        {
            await option.ClickAsync();
            try
            {
                await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
            }
        }
    }

    [Fact]
    public async Task Preview_UnknownPlay_SaysSo()
    {
        var page = await app.OpenAsync("/playbook/preview?play=no-such-play&customer=C0000001");
        await Assertions.Expect(page.Locator("[data-testid=preview-problem]")).ToContainTextAsync("There is no play 'no-such-play'");
        await AppFixture.ScreenshotAsync(page, "playbook-preview-unknown-play");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_PicksACustomer_ByIdOnly_AndSeesTheEmailMasked()
    {
        var page = await app.OpenAsAsync("/playbook/preview", Roles.Viewer);
        var search = page.Locator("input[data-testid=customer-search]");
        // C0000001's address is davis.kieran1@example.com: a piece of it finds no one for a Viewer.
        await search.FillAsync("davis.kieran1@");
        await Assertions.Expect(page.Locator("[data-testid=customer-none]")).ToHaveTextAsync("No customer matches.");
        await search.FillAsync("C0000001");
        var option = page.Locator("[data-testid=customer-option][data-customer=C0000001]");
        await Assertions.Expect(option).ToContainTextAsync("d***@example.com");
        await AppFixture.ScreenshotAsync(page, "playbook-preview-viewer-search");
        await page.Context.CloseAsync();
    }
}
