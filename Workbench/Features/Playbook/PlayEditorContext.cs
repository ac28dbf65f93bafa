using Workbench.Core.Playbook;

namespace Workbench.Features.Playbook;

// What every part of the play editor shares: whether it may change anything, and the validator's latest messages.
public sealed record PlayEditorContext(bool ReadOnly, IReadOnlyList<ValidationMessage> Messages)
{
    // The messages about this field or anything under it ("offer" holds "offer.validTo"; "content[0]" its variants).
    public IEnumerable<ValidationMessage> For(string field, bool under = false) => Messages.Where(m =>
        m.Field == field || under && (m.Field.StartsWith(field + ".", StringComparison.Ordinal) || m.Field.StartsWith(field + "[", StringComparison.Ordinal)));
}

public sealed record SegmentOption(long Id, string Name);
