using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Audit;
using Workbench.Core.Data;

namespace Workbench.Core.Users;

public sealed record ApiTokenInfo(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt,
    DateTime? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTime now) => ExpiresAt is { } end && end <= now;

    public bool IsActive(DateTime now) => !IsRevoked && !IsExpired(now);
}

// The token itself is returned once, at creation; afterwards only its hash is known.
public sealed record CreatedApiToken(ApiTokenInfo Info, string Token);

public sealed record TokenOwner(string UserId, string UserName, IReadOnlyList<string> Roles);

public sealed class ApiTokenService(IDbContextFactory<WorkbenchDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    public const string TokenPrefix = "wb_";
    public const int DefaultExpiryDays = 90;
    public const int MaxExpiryDays = 3650;

    // Last use is written at most once a minute per token, so a script calling in a loop does not write on every call.
    public static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    // expiresInDays null: the token never expires.
    public async Task<CreatedApiToken> CreateAsync(string userId, string userName, string name, int? expiresInDays = DefaultExpiryDays,
        CancellationToken ct = default)
    {
        if (expiresInDays is < 1 or > MaxExpiryDays)
            throw new ArgumentOutOfRangeException(nameof(expiresInDays), expiresInDays, $"a token expires after 1 to {MaxExpiryDays} days, or never");
        var now = clock.GetUtcNow().UtcDateTime;
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var entity = new ApiToken
        {
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim(),
            Prefix = token[..(TokenPrefix.Length + 6)],
            Hash = Hash(token),
            CreatedAt = now,
            ExpiresAt = expiresInDays is { } days ? now.AddDays(days) : null,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ApiTokens.Add(entity);
            await db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(userName, AuditActions.Create, AuditEntities.ApiToken, entity.Id.ToString(),
            [new FieldChange("name", null, entity.Name), new FieldChange("prefix", null, entity.Prefix),
                new FieldChange("expires_at", null, entity.ExpiresAt?.ToString("O") ?? "never")], ct);
        return new CreatedApiToken(ToInfo(entity), token);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(ct);
        return tokens.Select(ToInfo).ToList();
    }

    // Only the token's owner revokes it; false when there is no such active token of theirs.
    public async Task<bool> RevokeAsync(string userId, string userName, long tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null, ct);
        if (token is null) return false;
        token.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(userName, AuditActions.Delete, AuditEntities.ApiToken, token.Id.ToString(),
            [new FieldChange("revoked_at", null, token.RevokedAt.Value.ToString("O"))], ct);
        return true;
    }

    // The owner of an unexpired, unrevoked token whose account is not locked out, or null.
    public async Task<TokenOwner?> FindOwnerAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200) return null;
        var hash = Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var found = await db.ApiTokens.Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now.UtcDateTime))
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .SingleOrDefaultAsync(ct);
        if (found is null || found.User.UserName is null) return null;
        if (found.User.LockoutEnd is { } end && end > now) return null;
        var roles = await db.UserRoles.Where(ur => ur.UserId == found.User.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(ct);
        if (found.Token.LastUsedAt is null || now.UtcDateTime - found.Token.LastUsedAt >= LastUseResolution)
        {
            found.Token.LastUsedAt = now.UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return new TokenOwner(found.User.Id, found.User.UserName, roles);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ApiTokenInfo ToInfo(ApiToken t) => new(t.Id, t.Name, t.Prefix, Utc(t.CreatedAt), Utc(t.ExpiresAt),
        Utc(t.LastUsedAt), Utc(t.RevokedAt));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
