using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Users;

[Collection(AppCollection.Name)]
public sealed class UsersPageTests(AppFixture app)
{
    private static async Task ChooseAsync(IPage page, ILocator select, string text)
    {
        await select.Locator(".mud-select .mud-input-control").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text }).First.ClickAsync();
        // The choice is the circuit's only once the select shows it (it is rendered on the server): wait for that
        // before a click that reads it. Without this, Create once read the form's default role, Viewer.
        await Assertions.Expect(select).ToContainTextAsync(text);
    }

    [Fact]
    public async Task CreateUser_ThenTwoAdminsChangeTheSameRole_SecondSaveIsRefusedWithCurrentVersion()
    {
        var first = await app.OpenAsync("/users");
        await first.FillAsync("#new-user-name", "ui-made");
        await first.FillAsync("#new-user-password", "Ui-Made-Pass-1!");
        await ChooseAsync(first, first.Locator("#new-user-role"), "Marketer");
        await first.ClickAsync("#create-user");
        var row = first.Locator("tr[data-user=ui-made]");
        await row.WaitForAsync();
        await Assertions.Expect(row).ToContainTextAsync("Marketer");

        var second = await app.OpenAsync("/users");
        var secondRow = second.Locator("tr[data-user=ui-made]");

        await ChooseAsync(first, row.Locator(".user-role"), "Analyst");
        await row.Locator(".save-role").ClickAsync();
        await first.Locator("tr[data-user=ui-made] .save-role[disabled]").WaitForAsync();

        await ChooseAsync(second, secondRow.Locator(".user-role"), "Viewer");
        await secondRow.Locator(".save-role").ClickAsync();

        // Each assertion waits for the re-render it reads: the refusal, the current version and the reloaded role
        // arrive in separate render batches.
        await Assertions.Expect(second.Locator("#users-message")).ToContainTextAsync("Someone else changed this user");
        await Assertions.Expect(second.Locator("#users-current-version")).ToContainTextAsync("role Analyst");
        await Assertions.Expect(secondRow.Locator(".user-role")).ToContainTextAsync("Analyst");
        await AppFixture.ScreenshotAsync(second, "auth-users-conflict");
    }

    [Fact]
    public async Task SetPassword_ForAUser_LetsThemSignInWithIt()
    {
        const string userName = "forgot-password";
        await app.WithStoreAsync(async services =>
        {
            var users = services.GetRequiredService<UserService>();
            await users.CreateAsync(new(userName, null, "Forgotten-Pass-1!", Roles.Marketer), "test-setup");
        });
        var page = await app.OpenAsync("/users");

        await page.Locator($"tr[data-user={userName}] .set-password").ClickAsync();
        await page.FillAsync("#set-password-value", "Reset-By-Admin-1!");
        await page.ClickAsync("#set-password-save");
        await Assertions.Expect(page.Locator("#users-info")).ToContainTextAsync("was set");
        await AppFixture.ScreenshotAsync(page, "auth-users-password-set");

        await using var context = await app.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await app.SignInAsync(signIn, userName, "Reset-By-Admin-1!");
        await signIn.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        Assert.Contains(userName, await signIn.InnerTextAsync("#account-name"));
    }
}
