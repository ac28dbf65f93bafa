using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Users;

public sealed class ApiTokenServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<UserSummary> CreateUserAsync(string name, string role)
    {
        Assert.True((await _store.Users.CreateAsync(new NewUser(name, null, "Pass-word-1!", role), "test")).Succeeded);
        return (await _store.Users.ListAsync()).Single(u => u.UserName == name);
    }

    [Fact]
    public async Task CreateAsync_StoresOnlyHashAndPrefix_TokenFindsItsOwnerWithRoles()
    {
        var user = await CreateUserAsync("ana", Roles.Analyst);

        var created = await _store.Tokens.CreateAsync(user.Id, user.UserName, "nightly script");
        var owner = await _store.Tokens.FindOwnerAsync(created.Token);

        Assert.StartsWith(ApiTokenService.TokenPrefix, created.Token);
        Assert.StartsWith(created.Info.Prefix, created.Token);
        Assert.Equal("ana", owner!.UserName);
        Assert.Equal([Roles.Analyst], owner.Roles);
        var stored = Assert.Single(await _store.RowsAsync("SELECT hash, prefix FROM api_tokens"));
        Assert.DoesNotContain(created.Token, stored);
        Assert.Equal($"{ApiTokenService.Hash(created.Token)}|{created.Info.Prefix}", stored);
    }

    [Fact]
    public async Task RevokeAsync_TokenNoLongerAuthenticates_AndOnlyItsOwnerCanRevoke()
    {
        var user = await CreateUserAsync("mo", Roles.Marketer);
        var other = await CreateUserAsync("vi", Roles.Viewer);
        var created = await _store.Tokens.CreateAsync(user.Id, user.UserName, "t");

        Assert.False(await _store.Tokens.RevokeAsync(other.Id, other.UserName, created.Info.Id));
        Assert.NotNull(await _store.Tokens.FindOwnerAsync(created.Token));
        Assert.True(await _store.Tokens.RevokeAsync(user.Id, user.UserName, created.Info.Id));

        Assert.Null(await _store.Tokens.FindOwnerAsync(created.Token));
        Assert.Null(await _store.Tokens.FindOwnerAsync(created.Token + "x"));
        var audit = await _store.Audit.QueryAsync(new(EntityType: "api_token"), 0, 10);
        Assert.Equal(["delete", "create"], audit.Items.Select(i => i.Action));
    }

    [Fact]
    public async Task FindOwnerAsync_LockedOutUser_IsRefused()
    {
        var user = await CreateUserAsync("lo", Roles.Analyst);
        await CreateUserAsync("boss", Roles.Admin);
        var created = await _store.Tokens.CreateAsync(user.Id, user.UserName, "t");

        Assert.True((await _store.Users.SetLockedAsync(user.Id, true, user.ConcurrencyStamp, "boss")).Succeeded);

        Assert.Null(await _store.Tokens.FindOwnerAsync(created.Token));
    }
}
