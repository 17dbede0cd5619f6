namespace CodingAgent.Api.OpenApi;

/// <summary>A query string parameter the call understands; its schema is generated from <paramref name="type"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiQueryAttribute(string name, Type type, string description) : Attribute
{
    public string Name { get; } = name;

    public Type Type { get; } = type;

    public string Description { get; } = description;

    public bool Required { get; init; }
}
