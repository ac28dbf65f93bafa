using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Users;

public sealed class UserSessionServiceTests
{
    [Fact]
    public async Task EndAsync_EndsTheSessionForGood_AlsoForAServiceThatHadItCached()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var store = await TestStore.CreateAsync(clock);
        Assert.True((await store.Users.CreateAsync(new NewUser("se", null, "Pass-word-1!", Roles.Viewer), "test")).Succeeded);
        var user = (await store.Users.ListAsync()).Single();
        var sessions = store.Services.GetRequiredService<UserSessionService>();
        // A second instance over the same store: what another process, or the app after a restart, would see.
        var restarted = new UserSessionService(store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), clock);

        var first = await sessions.StartAsync(user.Id);
        var second = await sessions.StartAsync(user.Id);
        Assert.True(await sessions.IsActiveAsync(first, user.Id));
        Assert.True(await restarted.IsActiveAsync(first, user.Id));
        Assert.False(await sessions.IsActiveAsync(first, "someone-else"));

        await sessions.EndAsync(first);

        Assert.False(await sessions.IsActiveAsync(first, user.Id));
        Assert.True(await sessions.IsActiveAsync(second, user.Id));
        clock.Advance(UserSessionService.CheckCacheTime);
        Assert.False(await restarted.IsActiveAsync(first, user.Id));
        Assert.False(await restarted.IsActiveAsync("made-up", user.Id));
    }

    [Fact]
    public async Task IsActiveAsync_SessionOlderThanMaxAge_IsOver()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var store = await TestStore.CreateAsync(clock);
        Assert.True((await store.Users.CreateAsync(new NewUser("old", null, "Pass-word-1!", Roles.Viewer), "test")).Succeeded);
        var user = (await store.Users.ListAsync()).Single();
        var sessions = store.Services.GetRequiredService<UserSessionService>();
        var session = await sessions.StartAsync(user.Id);

        clock.Advance(UserSessionService.MaxAge + TimeSpan.FromMinutes(1));

        Assert.False(await sessions.IsActiveAsync(session, user.Id));
        await sessions.StartAsync(user.Id);
        Assert.Single(await store.RowsAsync("SELECT id FROM user_sessions"));
    }
}
