using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using CodingAgent.Api.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CodingAgent.Api.OpenApi;

/// <summary>One OpenAPI operation object, from the <c>Api*</c> attributes of an HTTP function.</summary>
internal static class OpenApiOperation
{
    public const string SecuritySchemeName = "apiKey";

    public static JsonObject Describe(HttpFunction function, string operationId, OpenApiSchemas schemas)
    {
        MethodInfo method = function.Method;
        ApiOperationAttribute operation = method.GetCustomAttribute<ApiOperationAttribute>()
            ?? throw Undocumented(function, "has no [ApiOperation]");
        List<ApiResponseAttribute> responses = method.GetCustomAttributes<ApiResponseAttribute>().OrderBy(r => r.Status).ToList();
        if (responses.Count == 0)
        {
            throw Undocumented(function, "has no [ApiResponse]");
        }

        if (responses.GroupBy(r => r.Status).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw Undocumented(function, $"documents status {duplicate.Key} twice");
        }

        if (operation.Scope is not null && !(responses.Any(r => r.Status == StatusCodes.Status401Unauthorized)
            && responses.Any(r => r.Status == StatusCodes.Status403Forbidden)))
        {
            throw Undocumented(function, "needs a scope but does not document its 401 and 403 answers");
        }

        JsonObject result = new()
        {
            ["operationId"] = operationId,
            ["summary"] = operation.Summary,
        };
        if (Description(operation) is { } description)
        {
            result["description"] = description;
        }

        if (operation.Scope is not null)
        {
            result["security"] = new JsonArray(new JsonObject { [SecuritySchemeName] = new JsonArray(operation.Scope) });
        }

        JsonArray parameters = Parameters(function, schemas);
        if (parameters.Count > 0)
        {
            result["parameters"] = parameters;
        }

        if (method.GetCustomAttribute<ApiRequestBodyAttribute>() is { } body)
        {
            result["requestBody"] = RequestBody(body, schemas);
        }

        JsonObject responseObjects = [];
        foreach (ApiResponseAttribute response in responses)
        {
            responseObjects[response.Status.ToString(CultureInfo.InvariantCulture)] = Response(function, response, schemas);
        }

        result["responses"] = responseObjects;
        return result;
    }

    private static string? Description(ApiOperationAttribute operation)
    {
        string? scope = operation.Scope is null ? null : $"Needs an API key with the scope `{operation.Scope}`.";
        return (operation.Description, scope) switch
        {
            (null, null) => null,
            ({ } text, null) => text,
            (null, { } needs) => needs,
            ({ } text, { } needs) => text + "\n\n" + needs,
        };
    }

    private static JsonArray Parameters(HttpFunction function, OpenApiSchemas schemas)
    {
        JsonArray parameters = [];
        foreach ((string name, bool isInteger) in RouteTemplate.Parameters(function.Route ?? function.Name))
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = isInteger ? "integer" : "string" },
            });
        }

        foreach (ApiQueryAttribute query in function.Method.GetCustomAttributes<ApiQueryAttribute>())
        {
            parameters.Add(new JsonObject
            {
                ["name"] = query.Name,
                ["in"] = "query",
                ["description"] = query.Description,
                ["required"] = query.Required,
                ["schema"] = schemas.SchemaFor(query.Type),
            });
        }

        foreach (ApiHeaderAttribute header in function.Method.GetCustomAttributes<ApiHeaderAttribute>())
        {
            (string description, string schemaType) = Known(function, header.Name, header.Description);
            parameters.Add(new JsonObject
            {
                ["name"] = header.Name,
                ["in"] = "header",
                ["description"] = description,
                ["required"] = header.Required,
                ["schema"] = new JsonObject { ["type"] = schemaType },
            });
        }

        return parameters;
    }

    private static JsonObject RequestBody(ApiRequestBodyAttribute body, OpenApiSchemas schemas)
    {
        JsonObject requestBody = new()
        {
            ["required"] = true,
            ["content"] = new JsonObject { [body.ContentType] = new JsonObject { ["schema"] = schemas.SchemaFor(body.Type) } },
        };
        if (body.Description is not null)
        {
            requestBody["description"] = body.Description;
        }

        return requestBody;
    }

    private static JsonObject Response(HttpFunction function, ApiResponseAttribute response, OpenApiSchemas schemas)
    {
        string reason = ReasonPhrases.GetReasonPhrase(response.Status);
        JsonObject result = new()
        {
            ["description"] = response.Description ?? (response.Problem is { } code ? $"{reason}: problem `{code}`." : reason),
        };

        string[] headers = response.Headers?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (headers.Length > 0)
        {
            JsonObject headerObjects = [];
            foreach (string header in headers)
            {
                (string description, string schemaType) = Known(function, header, null);
                headerObjects[header] = new JsonObject { ["description"] = description, ["schema"] = new JsonObject { ["type"] = schemaType } };
            }

            result["headers"] = headerObjects;
        }

        if (response.Type is null && response.Problem is null)
        {
            return result;
        }

        JsonNode schema = schemas.SchemaFor(response.Type ?? typeof(ProblemDocument));
        if (response.Problem is { } problemCode)
        {
            // The shared problem schema, narrowed to this answer's code.
            schema = new JsonObject
            {
                ["allOf"] = new JsonArray(schema),
                ["properties"] = new JsonObject { ["code"] = new JsonObject { ["const"] = problemCode } },
            };
        }

        string contentType = response.ContentType ?? (response.Problem is null ? ApiContentTypes.Json : ApiContentTypes.Problem);
        result["content"] = new JsonObject { [contentType] = new JsonObject { ["schema"] = schema } };
        return result;
    }

    private static (string Description, string SchemaType) Known(HttpFunction function, string header, string? description)
    {
        if (KnownHeaders.Descriptions.TryGetValue(header, out (string Description, string SchemaType) known))
        {
            return (description ?? known.Description, known.SchemaType);
        }

        return description is null
            ? throw Undocumented(function, $"uses the header '{header}' without a description; describe it or add it to {nameof(KnownHeaders)}")
            : (description, "string");
    }

    private static InvalidOperationException Undocumented(HttpFunction function, string problem) =>
        new($"HTTP function {function.Name} {problem}. Every HTTP function documents itself with [ApiOperation] and "
            + "[ApiResponse] attributes (see docs/architecture.md, 'Documenting a route').");
}
