using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Workbench.Core.Audit;
using Workbench.Core.Data;

namespace Workbench.Core.Users;

public sealed record ApiTokenInfo(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

// The token itself is returned once, at creation; afterwards only its hash is known.
public sealed record CreatedApiToken(ApiTokenInfo Info, string Token);

public sealed record TokenOwner(string UserId, string UserName, IReadOnlyList<string> Roles);

public sealed class ApiTokenService(IDbContextFactory<WorkbenchDbContext> dbFactory, AuditService audit, TimeProvider clock)
{
    public const string TokenPrefix = "wb_";

    public async Task<CreatedApiToken> CreateAsync(string userId, string userName, string name, CancellationToken ct = default)
    {
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var entity = new ApiToken
        {
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim(),
            Prefix = token[..(TokenPrefix.Length + 6)],
            Hash = Hash(token),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ApiTokens.Add(entity);
            await db.SaveChangesAsync(ct);
        }
        await audit.RecordAsync(userName, AuditActions.Create, AuditEntities.ApiToken, entity.Id.ToString(),
            [new FieldChange("name", null, entity.Name), new FieldChange("prefix", null, entity.Prefix)], ct);
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

    // The owner of an active token whose account is not locked out, or null.
    public async Task<TokenOwner?> FindOwnerAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200) return null;
        var hash = Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var found = await db.ApiTokens.Where(t => t.Hash == hash && t.RevokedAt == null)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .SingleOrDefaultAsync(ct);
        if (found is null || found.User.UserName is null) return null;
        if (found.User.LockoutEnd is { } end && end > now) return null;
        var roles = await db.UserRoles.Where(ur => ur.UserId == found.User.Id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(ct);
        // Last use is kept to the minute, so a busy script does not write on every call.
        if (found.Token.LastUsedAt is null || now.UtcDateTime - found.Token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            found.Token.LastUsedAt = now.UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return new TokenOwner(found.User.Id, found.User.UserName, roles);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ApiTokenInfo ToInfo(ApiToken t) => new(t.Id, t.Name, t.Prefix, DateTime.SpecifyKind(t.CreatedAt, DateTimeKind.Utc),
        t.LastUsedAt, t.RevokedAt);
}
