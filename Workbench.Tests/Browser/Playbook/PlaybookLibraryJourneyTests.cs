using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Playbook;

// The app seeded its playbook with the starter library for the sample data; counts are asked of the store in the test.
[Collection(AppCollection.Name)]
public sealed class PlaybookLibraryJourneyTests(AppFixture app)
{
    private async Task<T> StoreAsync<T>(Func<PlaybookStore, Task<T>> read)
    {
        T result = default!;
        await app.WithStoreAsync(async services => result = await read(services.GetRequiredService<PlaybookStore>()));
        return result;
    }

    [Fact]
    public async Task NewPlay_FromATemplate_Saved_ThenPreviewedForARealCustomer_WithTheEmailFrameAndTheReasons()
    {
        var name = "Journey birthday " + Guid.NewGuid().ToString("N")[..6];
        var page = await app.OpenAsync("/playbook/new");
        await page.Locator("input[data-testid=play-search]").FillAsync("birthday-gold");
        await page.Locator("[data-testid=play-option][data-play=birthday-gold]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/playbook/new\\?template=birthday-gold$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=template-note]")).ToContainTextAsync("Birthday treat for Gold members");
        await Assertions.Expect(page.Locator("input[data-testid=play-name]")).ToHaveValueAsync("Birthday treat for Gold members (new)");

        // A Liquid error is named with its place as it is typed, then put right.
        var html = page.Locator("textarea[data-testid=content-email-0-html]");
        var good = await html.InputValueAsync();
        await html.FillAsync("<h1>Hi</h1>\n<p>{% if loyalty_tier %}Gold</p>");
        await Assertions.Expect(page.Locator("[data-testid=field-message][data-field='content[0].variants[0].html']")).ToContainTextAsync("line 2");
        await AppFixture.ScreenshotAsync(page, "playbook-new-liquid-error");
        await html.FillAsync(good);
        await Assertions.Expect(page.Locator("[data-testid=field-message][data-field='content[0].variants[0].html']")).ToHaveCountAsync(0);

        await page.Locator("input[data-testid=play-name]").FillAsync(name);
        await Assertions.Expect(page.Locator("[data-testid=validation-ok]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "playbook-new-from-template");
        await page.Locator("[data-testid=save-play]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/playbook/plays/[^/]+$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=play-meta]")).ToContainTextAsync("version 1");
        await Assertions.Expect(page.Locator("[data-testid=play-version]")).ToHaveCountAsync(1);
        var id = page.Url.Split('/').Last();
        Assert.Equal(PlayStatus.Draft, (await StoreAsync(s => s.GetAsync(id, default)))!.Status);
        await AppFixture.ScreenshotAsync(page, "playbook-play-saved");

        await page.Locator("[data-testid=preview-this-play]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/playbook/preview\\?play={Regex.Escape(id)}$"), new() { Timeout = 30_000 });
        await page.Locator("input[data-testid=customer-search]").FillAsync("C0000001");
        await page.Locator("[data-testid=customer-option][data-customer=C0000001]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-play-name]")).ToHaveTextAsync(name);
        await Assertions.Expect(page.FrameLocator("[data-testid=channel-email] iframe").Locator("h1")).ToHaveTextAsync("A birthday gift");
        Assert.Equal("", await page.Locator("[data-testid=channel-email] iframe").GetAttributeAsync("sandbox"));
        // A draft reaches no one: the status is the first blocking reason, with the play's own status beside it.
        var first = page.Locator("[data-testid=reasons-email] [data-first-blocking=true]");
        await Assertions.Expect(first).ToHaveAttributeAsync("data-kind", "Status");
        await Assertions.Expect(first).ToContainTextAsync("status Draft");
        await AppFixture.ScreenshotAsync(page, "playbook-preview-draft");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Library_FiltersAndClone()
    {
        var total = await StoreAsync(async s => (await s.ListAsync(new PlayFilter(), default)).Total);
        var sms = await StoreAsync(async s => (await s.ListAsync(new PlayFilter(Channel: "sms"), default)).Total);
        Assert.True(total > sms && sms > 0);

        var page = await app.OpenAsync("/playbook");
        await Assertions.Expect(page.Locator("[data-testid=playbook-total]")).ToHaveTextAsync($"{total:N0} plays");
        await Assertions.Expect(page.Locator("[data-testid=play-row-link]")).ToHaveCountAsync(25);
        await AppFixture.ScreenshotAsync(page, "playbook-library");

        await page.Locator("[data-testid=filter-channel]").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "SMS" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=playbook-total]")).ToHaveTextAsync($"{sms:N0} plays");
        await page.Locator("input[data-testid=filter-search]").FillAsync("winback");
        var winback = await StoreAsync(async s => (await s.ListAsync(new PlayFilter(Search: "winback", Channel: "sms"), default)).Total);
        await Assertions.Expect(page.Locator("[data-testid=playbook-total]")).ToHaveTextAsync($"{winback:N0} plays");
        await AppFixture.ScreenshotAsync(page, "playbook-library-filtered");

        var firstId = (await page.Locator("[data-testid=play-row-link]").First.GetAttributeAsync("href"))!.Split('/').Last();
        await page.Locator("[data-testid=clone-play]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/playbook/plays/{Regex.Escape(firstId)}-copy(-\\d+)?$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=play-header-status]")).ToHaveTextAsync("draft");
        await Assertions.Expect(page.Locator("input[data-testid=play-name]")).ToHaveValueAsync(new Regex("^Copy of "));
        await AppFixture.ScreenshotAsync(page, "playbook-clone");

        await page.GotoAsync(app.BaseUrl + "/playbook");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await page.Locator("input[data-testid=filter-search]").FillAsync("no play is called this");
        await Assertions.Expect(page.Locator("[data-testid=playbook-empty]")).ToHaveTextAsync("No play matches these filters.");
        await AppFixture.ScreenshotAsync(page, "playbook-library-empty");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UnknownPlay_SaysSo()
    {
        var page = await app.OpenAsync("/playbook/plays/no-such-play");
        await Assertions.Expect(page.Locator("[data-testid=play-not-found]")).ToContainTextAsync("There is no play 'no-such-play'");
        await AppFixture.ScreenshotAsync(page, "playbook-play-not-found");
        await page.Context.CloseAsync();
    }
}
