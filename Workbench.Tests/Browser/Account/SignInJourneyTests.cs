using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Account;

[Collection(AppCollection.Name)]
public sealed class SignInJourneyTests(AppFixture app)
{
    [Fact]
    public async Task Anonymous_IsSentToLogin_WrongPasswordIsRefused_RightOneOpensThePageAsked()
    {
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.BaseUrl + "/audit");
        Assert.Contains("/login?ReturnUrl=%2Faudit", page.Url, StringComparison.OrdinalIgnoreCase);
        await AppFixture.ScreenshotAsync(page, "auth-login");

        await page.FillAsync("#username", AppFixture.AdminUserName);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#signin");
        Assert.Equal(Workbench.Features.Account.Login.RefusedMessage, (await page.InnerTextAsync("#login-message")).Trim());
        await AppFixture.ScreenshotAsync(page, "auth-login-failed");

        await page.FillAsync("#username", AppFixture.AdminUserName);
        await page.FillAsync("#password", AppFixture.AdminPassword);
        await page.ClickAsync("#signin");
        await page.WaitForURLAsync(app.BaseUrl + "/audit");
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        Assert.Contains(AppFixture.AdminUserName, await page.InnerTextAsync("#account-name"));

        await page.ClickAsync("#signout");
        await page.WaitForURLAsync(url => url.Contains("/login"));
        await page.GotoAsync(app.BaseUrl + "/");
        Assert.Contains("/login", page.Url);
    }

    [Fact]
    public async Task Viewer_SeesOnlyTheLinksOfTheirRole_AndIsTurnedAwayFromUsers()
    {
        var page = await app.OpenAsAsync("/", Workbench.Core.Users.Roles.Viewer);

        var nav = await page.InnerTextAsync(".mud-navmenu");
        Assert.DoesNotContain("Users", nav);
        Assert.DoesNotContain("Audit", nav);
        Assert.DoesNotContain("Import", nav);

        await page.GotoAsync(app.BaseUrl + "/users");
        Assert.Contains("/login", page.Url);
        Assert.Contains("whose role may not open that page", await page.InnerTextAsync("#login-message"));
        await AppFixture.ScreenshotAsync(page, "auth-login-denied");
    }

    [Fact]
    public async Task Account_NewTokenIsShownOnce_ThenOnlyItsPrefix()
    {
        var page = await app.OpenAsync("/account");

        await page.FillAsync("#token-name", "nightly export");
        await page.ClickAsync("#create-token");
        var token = await page.InnerTextAsync("#new-token");
        Assert.StartsWith("wb_", token);
        await Assertions.Expect(page.Locator("#token-table")).ToContainTextAsync("nightly export");
        // The default expiry, 90 days from today (UTC), and no use yet.
        var expires = DateTime.UtcNow.AddDays(90).ToString("yyyy-MM-dd");
        var created = page.Locator("#token-table tr", new() { HasText = "nightly export" }).Locator("td");
        Assert.Equal(expires, (await created.Nth(3).InnerTextAsync())[..10]);
        Assert.Equal("never used", await created.Nth(4).InnerTextAsync());
        await AppFixture.ScreenshotAsync(page, "auth-account-token-created");

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(app.BaseUrl + "/api/me")).StatusCode);

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        Assert.Equal(0, await page.Locator("#new-token").CountAsync());
        Assert.DoesNotContain(token, await page.ContentAsync());
        Assert.Contains(token[..9], await page.InnerTextAsync("#token-table"));
        var cells = page.Locator("#token-table tr", new() { HasText = "nightly export" }).Locator("td");
        Assert.Equal(expires, (await cells.Nth(3).InnerTextAsync())[..10]);
        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd"), await cells.Nth(4).InnerTextAsync());
        Assert.Equal("active", await cells.Nth(5).InnerTextAsync());
        await AppFixture.ScreenshotAsync(page, "auth-account-token-used");

        var row = page.Locator("#token-table tr", new() { HasText = "nightly export" });
        await row.Locator(".revoke-token").ClickAsync();
        await page.Locator("#token-table tr", new() { HasText = "revoked" }).First.WaitForAsync();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(app.BaseUrl + "/api/me")).StatusCode);
    }
}
