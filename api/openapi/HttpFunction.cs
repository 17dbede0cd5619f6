using System.Reflection;

namespace CodingAgent.Api.OpenApi;

/// <summary>An HTTP function as the OpenAPI document describes it: its name, method (for the <c>Api*</c> attributes), verbs and route.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, IReadOnlyList<string> HttpMethods, string? Route);
