using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Audit;
using Workbench.Core.Data;

namespace Workbench.Core.Users;

public sealed record UserSummary(string Id, string UserName, string? Email, string Role, bool LockedOut, DateTimeOffset? LockoutEnd,
    string ConcurrencyStamp);

public sealed record NewUser(string UserName, string? Email, string Password, string Role);

// Ok, or the errors to show; Current is the stored version when someone else saved first.
public sealed record UserChangeResult(bool Succeeded, IReadOnlyList<string> Errors, UserSummary? Current = null)
{
    public bool IsConflict => Current is not null && !Succeeded;

    public static readonly UserChangeResult Ok = new(true, []);

    public static UserChangeResult Fail(params string[] errors) => new(false, errors);
}

// Admin operations on users. Each call runs in its own scope: a Blazor circuit must not hold a UserManager's context.
public sealed class UserService(IServiceScopeFactory scopes, AuditService audit)
{
    public const string ConflictMessage =
        "Someone else changed this user since you opened it; your change was not saved. The current version is shown.";

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        var list = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var result = new List<UserSummary>(list.Count);
        foreach (var user in list) result.Add(await SummaryAsync(users, user));
        return result;
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>().Users.AnyAsync(ct);
    }

    public async Task<UserChangeResult> CreateAsync(NewUser request, string actor, CancellationToken ct = default)
    {
        if (!Roles.IsKnown(request.Role)) return UserChangeResult.Fail($"unknown role '{request.Role}'");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        await EnsureRolesAsync(scope.ServiceProvider);
        var user = new WorkbenchUser(request.UserName.Trim()) { Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim() };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded) return Errors(created);
        var role = await users.AddToRoleAsync(user, request.Role);
        if (!role.Succeeded)
        {
            await users.DeleteAsync(user);
            return Errors(role);
        }
        await audit.RecordAsync(actor, AuditActions.Create, AuditEntities.User, user.UserName,
            AuditService.Diff(new Dictionary<string, string?>(), Snapshot(await SummaryAsync(users, user))), ct);
        return UserChangeResult.Ok;
    }

    public Task<UserChangeResult> ChangeRoleAsync(string id, string role, string expectedStamp, string actor, CancellationToken ct = default) =>
        Roles.IsKnown(role)
            ? UpdateAsync(id, expectedStamp, actor, async (users, user) =>
            {
                var current = await users.GetRolesAsync(user);
                if (current.SequenceEqual([role])) return IdentityResult.Success;
                var removed = await users.RemoveFromRolesAsync(user, current);
                return removed.Succeeded ? await users.AddToRoleAsync(user, role) : removed;
            }, ct)
            : Task.FromResult(UserChangeResult.Fail($"unknown role '{role}'"));

    public Task<UserChangeResult> SetLockedAsync(string id, bool locked, string expectedStamp, string actor, CancellationToken ct = default) =>
        UpdateAsync(id, expectedStamp, actor, async (users, user) =>
        {
            var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            if (result.Succeeded && !locked) result = await users.ResetAccessFailedCountAsync(user);
            return result;
        }, ct);

    // An Admin sets a new password for someone who forgot theirs; their other sessions end at the next check.
    public async Task<UserChangeResult> SetPasswordAsync(string id, string newPassword, string expectedStamp, string actor, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        var user = await users.FindByIdAsync(id);
        if (user is null) return UserChangeResult.Fail("this user no longer exists");
        if (user.ConcurrencyStamp != expectedStamp) return new UserChangeResult(false, [ConflictMessage], await SummaryAsync(users, user));
        foreach (var validator in users.PasswordValidators)
        {
            var valid = await validator.ValidateAsync(users, user, newPassword);
            if (!valid.Succeeded) return Errors(valid);
        }
        // Removing the old password and adding the new one commit together: the account is never left without one.
        await using var tx = await scope.ServiceProvider.GetRequiredService<WorkbenchDbContext>().Database.BeginTransactionAsync(ct);
        var result = await users.RemovePasswordAsync(user);
        if (result.Succeeded) result = await users.AddPasswordAsync(user, newPassword);
        if (!result.Succeeded) return await ConflictOrErrorsAsync(users, id, result);
        await users.UpdateSecurityStampAsync(user);
        await tx.CommitAsync(ct);
        await audit.RecordAsync(actor, AuditActions.Update, AuditEntities.User, user.UserName,
            [new FieldChange("password", "(hidden)", "(set by an Admin)")], ct);
        return UserChangeResult.Ok;
    }

    public async Task<UserChangeResult> DeleteAsync(string id, string expectedStamp, string actor, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        var user = await users.FindByIdAsync(id);
        if (user is null) return UserChangeResult.Fail("this user no longer exists");
        var before = await SummaryAsync(users, user);
        if (user.ConcurrencyStamp != expectedStamp) return new UserChangeResult(false, [ConflictMessage], before);
        if (before.Role == Roles.Admin && await users.GetUsersInRoleAsync(Roles.Admin) is { Count: <= 1 })
            return UserChangeResult.Fail("the last Admin cannot be deleted");
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded) return await ConflictOrErrorsAsync(users, id, deleted);
        await audit.RecordAsync(actor, AuditActions.Delete, AuditEntities.User, before.UserName,
            AuditService.Diff(Snapshot(before), new Dictionary<string, string?>()), ct);
        return UserChangeResult.Ok;
    }

    public async Task<UserChangeResult> ChangePasswordAsync(string id, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        var user = await users.FindByIdAsync(id);
        if (user is null) return UserChangeResult.Fail("this user no longer exists");
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded) return Errors(result);
        await audit.RecordAsync(user.UserName ?? id, AuditActions.Update, AuditEntities.User, user.UserName,
            [new FieldChange("password", "(hidden)", "(changed)")], ct);
        return UserChangeResult.Ok;
    }

    // On first start: when no user exists, creates the Admin. Returns the password when it was generated here.
    public async Task<string?> EnsureFirstAdminAsync(string userName, string? configuredPassword, CancellationToken ct = default)
    {
        if (await AnyAsync(ct)) return null;
        var password = string.IsNullOrEmpty(configuredPassword) ? GeneratePassword() : configuredPassword;
        var result = await CreateAsync(new NewUser(userName, null, password, Roles.Admin), "system", ct);
        if (!result.Succeeded) throw new InvalidOperationException("Could not create the first Admin: " + string.Join("; ", result.Errors));
        return string.IsNullOrEmpty(configuredPassword) ? password : null;
    }

    public static string GeneratePassword()
    {
        // Identity's defaults want upper, lower, digit and a symbol; 20 random characters plus one of each.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars) + "Aa1!";
    }

    private async Task<UserChangeResult> UpdateAsync(string id, string expectedStamp, string actor,
        Func<UserManager<WorkbenchUser>, WorkbenchUser, Task<IdentityResult>> change, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WorkbenchUser>>();
        await EnsureRolesAsync(scope.ServiceProvider);
        var user = await users.FindByIdAsync(id);
        if (user is null) return UserChangeResult.Fail("this user no longer exists");
        var before = await SummaryAsync(users, user);
        if (user.ConcurrencyStamp != expectedStamp) return new UserChangeResult(false, [ConflictMessage], before);
        // All the steps of one change (a role out, a role in, the stamp) commit together or not at all.
        await using var tx = await scope.ServiceProvider.GetRequiredService<WorkbenchDbContext>().Database.BeginTransactionAsync(ct);
        var result = await change(users, user);
        if (!result.Succeeded) return await ConflictOrErrorsAsync(users, id, result);
        // A new security stamp signs the user out of other sessions at the next check, so a role or lock applies now.
        await users.UpdateSecurityStampAsync(user);
        var after = await SummaryAsync(users, user);
        if (before.Role == Roles.Admin && after.Role != Roles.Admin || !before.LockedOut && after.LockedOut && before.Role == Roles.Admin)
        {
            // Never leave the workbench without an Admin who can sign in.
            var admins = await users.GetUsersInRoleAsync(Roles.Admin);
            if (!admins.Any(a => a.Id != id && !(a.LockoutEnd > DateTimeOffset.UtcNow)))
            {
                await RestoreAsync(users, user, before);
                return UserChangeResult.Fail("the last Admin who can sign in cannot lose that role or be locked");
            }
        }
        await tx.CommitAsync(ct);
        await audit.RecordAsync(actor, AuditActions.Update, AuditEntities.User, after.UserName, AuditService.Diff(Snapshot(before), Snapshot(after)), ct);
        return UserChangeResult.Ok;
    }

    private static async Task RestoreAsync(UserManager<WorkbenchUser> users, WorkbenchUser user, UserSummary before)
    {
        var roles = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, roles);
        await users.AddToRoleAsync(user, before.Role);
        await users.SetLockoutEndDateAsync(user, before.LockoutEnd);
    }

    private static async Task<UserChangeResult> ConflictOrErrorsAsync(UserManager<WorkbenchUser> users, string id, IdentityResult result)
    {
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            var fresh = await users.FindByIdAsync(id);
            return new UserChangeResult(false, [ConflictMessage], fresh is null ? null : await SummaryAsync(users, fresh));
        }
        return Errors(result);
    }

    private static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
    }

    private static async Task<UserSummary> SummaryAsync(UserManager<WorkbenchUser> users, WorkbenchUser user)
    {
        var roles = await users.GetRolesAsync(user);
        var lockedOut = user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow;
        return new UserSummary(user.Id, user.UserName ?? "", user.Email, roles.FirstOrDefault() ?? "", lockedOut, user.LockoutEnd,
            user.ConcurrencyStamp ?? "");
    }

    private static Dictionary<string, string?> Snapshot(UserSummary u) => new()
    {
        ["user_name"] = u.UserName,
        ["email"] = u.Email,
        ["role"] = u.Role,
        ["locked"] = u.LockedOut ? "yes" : "no",
    };

    private static UserChangeResult Errors(IdentityResult result) => new(false, result.Errors.Select(e => e.Description).ToList());
}
