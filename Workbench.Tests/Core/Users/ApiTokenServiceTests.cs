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
    public async Task CreateAsync_ExpiresIn90DaysByDefault_ExpiredTokenIsRefused_NeverStaysValid()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var store = await TestStore.CreateAsync(clock);
        Assert.True((await store.Users.CreateAsync(new NewUser("ex", null, "Pass-word-1!", Roles.Analyst), "test")).Succeeded);
        var user = (await store.Users.ListAsync()).Single();

        var byDefault = await store.Tokens.CreateAsync(user.Id, user.UserName, "default");
        var short_ = await store.Tokens.CreateAsync(user.Id, user.UserName, "a day", 1);
        var never = await store.Tokens.CreateAsync(user.Id, user.UserName, "never", null);

        Assert.Equal(clock.Now.UtcDateTime.AddDays(90), byDefault.Info.ExpiresAt);
        Assert.Null(never.Info.ExpiresAt);
        Assert.NotNull(await store.Tokens.FindOwnerAsync(short_.Token));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await store.Tokens.FindOwnerAsync(short_.Token));
        clock.Advance(TimeSpan.FromDays(89));
        Assert.Null(await store.Tokens.FindOwnerAsync(byDefault.Token));
        clock.Advance(TimeSpan.FromDays(3650));
        Assert.NotNull(await store.Tokens.FindOwnerAsync(never.Token));
        var listed = await store.Tokens.ListAsync(user.Id);
        Assert.Equal(["never"], listed.Where(t => t.IsActive(clock.Now.UtcDateTime)).Select(t => t.Name));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.Tokens.CreateAsync(user.Id, user.UserName, "x", 0));
    }

    [Fact]
    public async Task FindOwnerAsync_RecordsLastUse_AtMostOnceAMinute()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var clock = new MovableClock(start);
        await using var store = await TestStore.CreateAsync(clock);
        Assert.True((await store.Users.CreateAsync(new NewUser("lu", null, "Pass-word-1!", Roles.Analyst), "test")).Succeeded);
        var user = (await store.Users.ListAsync()).Single();
        var created = await store.Tokens.CreateAsync(user.Id, user.UserName, "loop");
        async Task<DateTime?> LastUseAsync() => (await store.Tokens.ListAsync(user.Id)).Single().LastUsedAt;

        Assert.Null(await LastUseAsync());
        await store.Tokens.FindOwnerAsync(created.Token);
        Assert.Equal(start.UtcDateTime, await LastUseAsync());
        clock.Advance(TimeSpan.FromSeconds(59));
        await store.Tokens.FindOwnerAsync(created.Token);
        Assert.Equal(start.UtcDateTime, await LastUseAsync());
        clock.Advance(TimeSpan.FromSeconds(1));
        await store.Tokens.FindOwnerAsync(created.Token);
        Assert.Equal(start.UtcDateTime.AddMinutes(1), await LastUseAsync());
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
