using Workbench.Core.Playbook;

namespace Workbench.Features.Playbook;

public sealed record PlayOption(string Id, string Name, PlayStatus Status)
{
    public static PlayOption Of(Play p) => new(p.Id, p.Name, p.Status);

    public string Label => $"{Name} ({Id})";
}
