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

public sealed class ApiTokenService(IDbContextFactory<WorkbenchDbContext> dbFactory, AuditService audit, TimeProvider clock, StoreLocation store)
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

    // The owner of an unexpired, unrevoked token whose account is not locked out, or null. Every API request asks, so
    // it is one statement on a pooled connection (token, owner and roles), not a context with two queries.
    public async Task<TokenOwner?> FindOwnerAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200) return null;
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        long tokenId;
        DateTime? lastUsed;
        string userId, userName;
        DateTimeOffset? lockoutEnd;
        string? roles;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using (var cmd = connection.Command(OwnerSql, ("$hash", hash), ("$now", now.UtcDateTime)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct) || r.IsDBNull(3)) return null;
            (tokenId, lastUsed, userId, userName) = (r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3));
            lockoutEnd = r.IsDBNull(4) ? null : DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture);
            roles = r.Text(5);
        }
        if (lockoutEnd is { } end && end > now) return null;
        if (lastUsed is null || now.UtcDateTime - lastUsed >= LastUseResolution)
        {
            await using var touch = connection.Command("UPDATE api_tokens SET last_used_at = $now WHERE id = $id", ("$now", now.UtcDateTime), ("$id", tokenId));
            await touch.ExecuteNonQueryAsync(ct);
        }
        return new TokenOwner(userId, userName, roles is null ? [] : roles.Split(RoleSeparator));
    }

    private const char RoleSeparator = '\u001f';

    private const string OwnerSql = """
        SELECT t.id, t.last_used_at, u."Id", u."UserName", u."LockoutEnd",
               (SELECT group_concat(r."Name", char(31)) FROM "AspNetUserRoles" ur JOIN "AspNetRoles" r ON r."Id" = ur."RoleId" WHERE ur."UserId" = u."Id")
        FROM api_tokens t JOIN "AspNetUsers" u ON u."Id" = t.user_id
        WHERE t.hash = $hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $now)
        """;

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ApiTokenInfo ToInfo(ApiToken t) => new(t.Id, t.Name, t.Prefix, Utc(t.CreatedAt), Utc(t.ExpiresAt),
        Utc(t.LastUsedAt), Utc(t.RevokedAt));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
