using System.Security.Cryptography;
using System.Text;

namespace Workbench.Core.Decisioning;

public sealed record VariantShare(string Variant, double Share);

// Stable assignment by hashing: a customer's position u ∈ [0, 1) for a salt is the first 8 bytes of
// SHA-256(salt ‖ 0x1F ‖ customer id) read big-endian, divided by 2⁶⁴ — the same on every machine and run, unlike
// string.GetHashCode. The control group takes u < its share; variants use a second position (salt + "/variant")
// cut by their cumulative shares, so changing the variants never moves anyone in or out of the control. The global
// holdout uses the salt "global-holdout" alone: raising its share keeps everyone already held out, held out.
public static class ArmAssignment
{
    public const string ControlArm = "control";
    public const string HoldoutSalt = "global-holdout";

    public static double Position(string salt, string customerId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(salt.Length + 1 + customerId.Length);
        var rented = length <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        Span<byte> input = rented ?? stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(salt, input);
        input[n++] = 0x1F;
        n += Encoding.UTF8.GetBytes(customerId, input[n..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..n], hash);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
    }

    public static bool InGlobalHoldout(string customerId, double holdoutShare) => Position(HoldoutSalt, customerId) < holdoutShare;

    // "control" or the variant's name. Shares are normalised over the variants given.
    public static string Arm(string campaign, string customerId, double controlShare, IReadOnlyList<VariantShare> variants)
    {
        if (Position(campaign, customerId) < controlShare) return ControlArm;
        if (variants.Count == 0) throw new ArgumentException("a campaign needs at least one variant", nameof(variants));
        var total = variants.Sum(v => v.Share);
        var u = Position(campaign + "/variant", customerId) * total;
        var cumulative = 0.0;
        foreach (var v in variants)
        {
            cumulative += v.Share;
            if (u < cumulative) return v.Variant;
        }
        return variants[^1].Variant;
    }
}
