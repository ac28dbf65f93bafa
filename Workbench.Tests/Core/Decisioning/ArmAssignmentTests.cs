using Workbench.Core.Decisioning;

namespace Workbench.Tests.Core.Decisioning;

public sealed class ArmAssignmentTests
{
    private static readonly VariantShare[] TwoVariants = [new("A", 1), new("B", 1)];

    [Fact]
    public void SameCustomerAndCampaign_AlwaysTheSameArm_AndAnotherCampaignShufflesIndependently()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"C{i:D7}").ToList();
        var first = ids.Select(id => ArmAssignment.Arm("spring-sale", id, 0.1, TwoVariants)).ToList();
        var again = ids.Select(id => ArmAssignment.Arm("spring-sale", id, 0.1, TwoVariants)).ToList();
        var other = ids.Select(id => ArmAssignment.Arm("winter-sale", id, 0.1, TwoVariants)).ToList();

        Assert.Equal(first, again);
        // Independent campaigns: about 10% of one's control is in the other's control, not all of it.
        var bothControl = ids.Where((_, i) => first[i] == "control" && other[i] == "control").Count();
        Assert.InRange(bothControl, 120, 290); // 20,000 · 0.01 = 200 expected, sd ≈ 14
    }

    [Fact]
    public void ControlAndVariantShares_WithinTheirBinomialTolerance()
    {
        const int n = 100_000;
        var arms = Enumerable.Range(0, n).Select(i => ArmAssignment.Arm("c-42", $"C{i:D7}", 0.1, [new("A", 0.6), new("B", 0.3)])).ToList();

        // Control p = 0.1: sd = sqrt(n·p·(1−p)) ≈ 95; within 4.5 sd. A: 0.9·(2/3) = 0.6 of everyone, sd ≈ 155.
        Assert.InRange(arms.Count(a => a == "control"), 10_000 - 430, 10_000 + 430);
        Assert.InRange(arms.Count(a => a == "A"), 60_000 - 700, 60_000 + 700);
        Assert.Equal(n, arms.Count(a => a is "control" or "A" or "B"));
    }

    [Fact]
    public void ChangingTheVariants_NeverMovesAnyoneInOrOutOfTheControl()
    {
        var ids = Enumerable.Range(0, 5_000).Select(i => $"C{i:D7}").ToList();
        var before = ids.Select(id => ArmAssignment.Arm("c", id, 0.2, TwoVariants) == "control");
        var after = ids.Select(id => ArmAssignment.Arm("c", id, 0.2, [new("A", 1), new("B", 1), new("C", 2)]) == "control");

        Assert.Equal(before, after);
    }

    [Fact]
    public void GlobalHoldout_RaisingTheShareKeepsEveryoneAlreadyHeldOut()
    {
        var ids = Enumerable.Range(0, 50_000).Select(i => $"C{i:D7}").ToList();
        var at5 = ids.Where(id => ArmAssignment.InGlobalHoldout(id, 0.05)).ToHashSet();
        var at10 = ids.Where(id => ArmAssignment.InGlobalHoldout(id, 0.10)).ToHashSet();

        Assert.Subset(at10, at5);
        Assert.InRange(at5.Count, 2_500 - 220, 2_500 + 220); // sd ≈ 49
    }

    [Fact]
    public void Position_IsSha256OfSaltAndId_ReadAsAFraction()
    {
        // SHA-256("c\u001FC1") begins c6193f18ca846e13; Python: int.from_bytes(hashlib.sha256(b"c\x1fC1").digest()[:8], "big") / 2**64.
        Assert.Equal(0.7738227305913072, ArmAssignment.Position("c", "C1"), 15);
    }
}
