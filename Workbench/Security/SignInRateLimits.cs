using System.Threading.RateLimiting;

namespace Workbench.Security;

// Sign-in attempts per client address and per user name, in fixed one-minute windows (Workbench:SignIn:PerAddressPerMinute,
// default 20; Workbench:SignIn:PerUserNamePerMinute, default 10). Unknown user names are limited like known ones, so the
// limit tells nothing about which names exist.
public sealed class SignInRateLimits : IDisposable
{
    public const int DefaultPerAddress = 20;
    public const int DefaultPerUserName = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int MaxUserNameKey = 128;

    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byUserName;

    public SignInRateLimits(int perAddress, int perUserName)
    {
        PerAddress = perAddress;
        PerUserName = perUserName;
        _byAddress = Create(perAddress);
        _byUserName = Create(perUserName);
    }

    public int PerAddress { get; }
    public int PerUserName { get; }

    public static SignInRateLimits From(IConfiguration configuration) => new(
        configuration.GetValue("Workbench:SignIn:PerAddressPerMinute", DefaultPerAddress),
        configuration.GetValue("Workbench:SignIn:PerUserNamePerMinute", DefaultPerUserName));

    // Both limits are counted on every attempt, so spreading guesses over names or over addresses does not help.
    public bool TryAcquire(string? address, string userName)
    {
        using var byAddress = _byAddress.AttemptAcquire(address ?? "unknown");
        var name = userName.Trim().ToUpperInvariant();
        using var byName = _byUserName.AttemptAcquire(name.Length > MaxUserNameKey ? name[..MaxUserNameKey] : name);
        return byAddress.IsAcquired && byName.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Create(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
        }), StringComparer.Ordinal);

    public void Dispose()
    {
        _byAddress.Dispose();
        _byUserName.Dispose();
    }
}
