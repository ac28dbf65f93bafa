using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Data;

namespace Workbench.Core.Users;

// Sign-in sessions kept in the store, so signing out ends a session for good: a copy of its cookie is refused from the
// next request on, also after a restart. Every cookie request asks IsActiveAsync; the answer is remembered for a few
// seconds (ending a session forgets it at once).
public sealed class UserSessionService(IDbContextFactory<WorkbenchDbContext> dbFactory, TimeProvider clock)
{
    // However active, a session ends this long after its sign-in.
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);
    public static readonly TimeSpan CheckCacheTime = TimeSpan.FromSeconds(30);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (string? UserId, bool Active, DateTimeOffset CheckedAt)> _checked = new(StringComparer.Ordinal);

    public async Task<string> StartAsync(string userId, CancellationToken ct = default)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Old sessions go when new ones start: the table holds at most MaxAge of sign-ins.
        var cutoff = now - MaxAge;
        await db.UserSessions.Where(s => s.CreatedAt < cutoff || s.EndedAt != null).ExecuteDeleteAsync(ct);
        db.UserSessions.Add(new UserSession { Id = id, UserId = userId, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return id;
    }

    public async Task EndAsync(string sessionId, CancellationToken ct = default)
    {
        _checked[sessionId] = (null, false, clock.GetUtcNow());
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct);
    }

    public async ValueTask<bool> IsActiveAsync(string sessionId, string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_checked.TryGetValue(sessionId, out var known) && (!known.Active || now - known.CheckedAt < CheckCacheTime))
        {
            return known.Active && known.UserId == userId;
        }
        var cutoff = now.UtcDateTime - MaxAge;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.UserSessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.UserId, Open = s.EndedAt == null && s.CreatedAt >= cutoff })
            .SingleOrDefaultAsync(ct);
        var active = row is { Open: true };
        if (_checked.Count >= MaxCached) _checked.Clear();
        _checked[sessionId] = (row?.UserId, active, now);
        return active && row!.UserId == userId;
    }
}
