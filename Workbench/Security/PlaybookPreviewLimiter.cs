using System.Threading.RateLimiting;

namespace Workbench.Security;

// A customer's plays (every active play evaluated and rendered for them) per user name, in a sliding minute of six
// 10-second segments: Workbench:Playbook:CustomerPlaysPerMinute (default 120).
public sealed class PlaybookPreviewLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public PlaybookPreviewLimiter(IConfiguration configuration)
    {
        PerMinute = Math.Max(1, configuration.GetValue("Workbench:Playbook:CustomerPlaysPerMinute", 120));
        _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetSlidingWindowLimiter(user,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = PerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public int PerMinute { get; }

    public string RefusalMessage => $"Too many previews: at most {PerMinute} customers' plays a minute per user. Wait a few seconds and try again.";

    public bool TryAcquire(string? userName)
    {
        using var lease = _limiter.AttemptAcquire(userName ?? "");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
