namespace CodingAgent.Model;

/// <summary>
/// A run's identity: the account that owns it (the storage partition, so tenant isolation is part of every lookup) and
/// its id. Serialized as <c>{"Account","RunId"}</c>, the shape activity inputs have always had.
/// </summary>
public sealed record RunKey(string Account, string RunId)
{
    public override string ToString() => Account + "/" + RunId;
}
