namespace CodingAgent.Api.OpenApi;

/// <summary>
/// A request header the call understands (not <c>Authorization</c>: that follows from <see cref="ApiOperationAttribute.Scope"/>).
/// Leave out the description for a header <see cref="KnownHeaders"/> describes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiHeaderAttribute(string name, string? description = null) : Attribute
{
    public string Name { get; } = name;

    public string? Description { get; } = description;

    public bool Required { get; init; }
}
