using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CodingAgent.Application.Keys;
using CodingAgent.Json;

namespace CodingAgent.Api.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the API, generated from the HTTP functions of the host and their <c>Api*</c> attributes.
/// Throws if an HTTP function is not documented, so no route can ship without a description.
/// </summary>
public static class OpenApiDocumentBuilder
{
    public const string OpenApiVersion = "3.1.0";

    // The wire format's names and converters. Nullable annotations make `string` and `string?` differ in the schema; numbers are
    // documented as the server writes them, although a request may also send them as strings.
    private static readonly JsonSerializerOptions SchemaOptions = new(JsonDefaults.Options)
    {
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static JsonObject Build(IEnumerable<HttpFunction> functions)
    {
        OpenApiSchemas schemas = new(SchemaOptions);
        JsonObject paths = [];
        foreach (HttpFunction function in functions)
        {
            string path = RouteTemplate.ToOpenApiPath(function.Route ?? function.Name);
            if (paths[path] is not JsonObject pathItem)
            {
                pathItem = [];
                paths[path] = pathItem;
            }

            foreach (string method in function.HttpMethods.Select(m => m.ToLowerInvariant()))
            {
                if (pathItem.ContainsKey(method))
                {
                    throw new InvalidOperationException($"Two HTTP functions answer {method.ToUpperInvariant()} {path}.");
                }

                string operationId = function.HttpMethods.Count == 1 ? function.Name : function.Name + char.ToUpperInvariant(method[0]) + method[1..];
                pathItem[method] = OpenApiOperation.Describe(function, operationId, schemas);
            }
        }

        return new JsonObject
        {
            ["openapi"] = OpenApiVersion,
            ["info"] = new JsonObject
            {
                ["title"] = "Coding Agent API",
                ["version"] = "v1",
                ["description"] = "Runs the OpenCode coding agent on a git repository in a warm sandbox; follow-up prompts are new turns "
                    + "in the same session. Errors are RFC 9457 problem documents with a stable `code`.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.Components,
                ["securitySchemes"] = new JsonObject
                {
                    [OpenApiOperation.SecuritySchemeName] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "crt_{id}_{secret}",
                        ["description"] = $"An API key of the account (`Authorization: Bearer crt_…`). Scopes: `{Scopes.Read}` for reading, "
                            + $"`{Scopes.Write}` for changes; each operation names the one it needs.",
                    },
                },
            },
        };
    }
}
