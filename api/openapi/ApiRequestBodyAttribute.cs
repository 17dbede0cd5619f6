namespace CodingAgent.Api.OpenApi;

/// <summary>The body the call reads; its schema is generated from <paramref name="type"/> with the product's JSON options.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ApiRequestBodyAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;

    public string ContentType { get; init; } = ApiContentTypes.Json;

    public string? Description { get; init; }
}
