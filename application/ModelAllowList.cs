namespace CodingAgent.Application;

/// <summary>The models a deployment lets runs name (<c>Model:AllowedModels</c>): exact ids, or prefixes ending in <c>*</c>; empty allows any.</summary>
public static class ModelAllowList
{
    public static bool Allows(IList<string> allowed, string modelId)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return allowed.Count == 0 || allowed.Any(a => a.EndsWith('*')
            ? modelId.StartsWith(a[..^1], StringComparison.Ordinal)
            : string.Equals(a, modelId, StringComparison.Ordinal));
    }
}
