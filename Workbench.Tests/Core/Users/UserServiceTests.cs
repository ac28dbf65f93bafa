using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Users;

public sealed class UserServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<UserSummary> UserAsync(string name) => (await _store.Users.ListAsync()).Single(u => u.UserName == name);

    [Fact]
    public async Task EnsureFirstAdminAsync_EmptyStore_CreatesAdminWithGeneratedPasswordOnce()
    {
        var password = await _store.Users.EnsureFirstAdminAsync("admin", null);
        var again = await _store.Users.EnsureFirstAdminAsync("admin", null);

        Assert.NotNull(password);
        Assert.Null(again);
        var admin = Assert.Single(await _store.Users.ListAsync());
        Assert.Equal(("admin", Roles.Admin), (admin.UserName, admin.Role));
    }

    [Fact]
    public async Task EnsureFirstAdminAsync_ConfiguredPassword_IsUsedAndNotReturned()
    {
        Assert.Null(await _store.Users.EnsureFirstAdminAsync("root", "Configured-Pass-1!"));
        Assert.True((await _store.Users.ChangePasswordAsync((await UserAsync("root")).Id, "Configured-Pass-1!", "Other-Pass-2!")).Succeeded);
    }

    [Fact]
    public async Task ChangeRoleAsync_WritesAuditEntryWithBeforeAndAfter()
    {
        await _store.Users.EnsureFirstAdminAsync("admin", "Admin-Pass-1!");
        Assert.True((await _store.Users.CreateAsync(new NewUser("mia", "mia@example.com", "Pass-word-1!", Roles.Viewer), "admin")).Succeeded);
        var mia = await UserAsync("mia");

        var result = await _store.Users.ChangeRoleAsync(mia.Id, Roles.Marketer, mia.ConcurrencyStamp, "admin");

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        var entry = (await _store.Audit.QueryAsync(new(UserName: "admin", EntityType: "user"), 0, 10)).Items.First();
        Assert.Equal(("update", "mia"), (entry.Action, entry.EntityId));
        var change = Assert.Single(entry.Changes);
        Assert.Equal(("role", Roles.Viewer, Roles.Marketer), (change.Field, change.From, change.To));
        var created = (await _store.Audit.QueryAsync(new(EntityType: "user"), 0, 10)).Items.Single(i => i is { Action: "create", EntityId: "mia" });
        Assert.Contains(created.Changes, c => c is { Field: "email", From: null, To: "mia@example.com" });
    }

    [Fact]
    public async Task ChangeRoleAsync_SecondSaveOfStaleVersion_IsRefusedWithCurrentVersion()
    {
        await _store.Users.EnsureFirstAdminAsync("admin", "Admin-Pass-1!");
        await _store.Users.CreateAsync(new NewUser("sam", null, "Pass-word-1!", Roles.Viewer), "admin");
        var seenByBoth = await UserAsync("sam");

        var first = await _store.Users.ChangeRoleAsync(seenByBoth.Id, Roles.Analyst, seenByBoth.ConcurrencyStamp, "admin");
        var second = await _store.Users.ChangeRoleAsync(seenByBoth.Id, Roles.Marketer, seenByBoth.ConcurrencyStamp, "other-admin");

        Assert.True(first.Succeeded);
        Assert.True(second.IsConflict);
        Assert.Equal(UserService.ConflictMessage, Assert.Single(second.Errors));
        Assert.Equal(Roles.Analyst, second.Current!.Role);
        Assert.Equal(Roles.Analyst, (await UserAsync("sam")).Role);
        Assert.True((await _store.Users.ChangeRoleAsync(seenByBoth.Id, Roles.Marketer, second.Current.ConcurrencyStamp, "other-admin")).Succeeded);
    }

    [Fact]
    public async Task ChangeRoleAsync_LastAdmin_CannotLoseTheRole()
    {
        await _store.Users.EnsureFirstAdminAsync("admin", "Admin-Pass-1!");
        var admin = await UserAsync("admin");

        var result = await _store.Users.ChangeRoleAsync(admin.Id, Roles.Viewer, admin.ConcurrencyStamp, "admin");

        Assert.False(result.Succeeded);
        Assert.Equal(Roles.Admin, (await UserAsync("admin")).Role);
    }

    [Fact]
    public async Task DeleteAsync_RemovesUserAndAuditsWhatWasThere()
    {
        await _store.Users.EnsureFirstAdminAsync("admin", "Admin-Pass-1!");
        await _store.Users.CreateAsync(new NewUser("gone", null, "Pass-word-1!", Roles.Analyst), "admin");
        var gone = await UserAsync("gone");

        Assert.True((await _store.Users.DeleteAsync(gone.Id, gone.ConcurrencyStamp, "admin")).Succeeded);

        Assert.DoesNotContain(await _store.Users.ListAsync(), u => u.UserName == "gone");
        var entry = (await _store.Audit.QueryAsync(new(EntityType: "user"), 0, 10)).Items.First();
        Assert.Equal(("delete", "gone"), (entry.Action, entry.EntityId));
        Assert.Contains(entry.Changes, c => c is { Field: "role", From: Roles.Analyst, To: null });
    }

    [Fact]
    public async Task SetPasswordAsync_AdminSetsNewPassword_WeakOneIsRefusedAndOldOneKept()
    {
        await _store.Users.EnsureFirstAdminAsync("admin", "Admin-Pass-1!");
        await _store.Users.CreateAsync(new NewUser("forgot", null, "Pass-word-1!", Roles.Viewer), "admin");
        var user = await UserAsync("forgot");

        var weak = await _store.Users.SetPasswordAsync(user.Id, "short", user.ConcurrencyStamp, "admin");
        var set = await _store.Users.SetPasswordAsync(user.Id, "New-Pass-word-2!", user.ConcurrencyStamp, "admin");

        Assert.False(weak.Succeeded);
        Assert.True(set.Succeeded, string.Join(" ", set.Errors));
        Assert.False((await _store.Users.ChangePasswordAsync(user.Id, "Pass-word-1!", "Other-Pass-3!")).Succeeded);
        Assert.True((await _store.Users.ChangePasswordAsync(user.Id, "New-Pass-word-2!", "Other-Pass-3!")).Succeeded);
        var entry = (await _store.Audit.QueryAsync(new(UserName: "admin", EntityType: "user"), 0, 10)).Items.First();
        Assert.Equal(("password", "(set by an Admin)"), (entry.Changes[0].Field, entry.Changes[0].To));
    }
}
