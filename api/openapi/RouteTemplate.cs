using System.Text.RegularExpressions;

namespace CodingAgent.Api.OpenApi;

/// <summary>A Functions route template as an OpenAPI path: <c>{n:int}</c> becomes <c>{n}</c>, and each parameter is named.</summary>
internal static partial class RouteTemplate
{
    public static string ToOpenApiPath(string route) =>
        "/" + ApiRoutes.RoutePrefix + "/" + Parameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");

    public static IEnumerable<(string Name, bool IsInteger)> Parameters(string route) =>
        Parameter().Matches(route).Select(m => (m.Groups["name"].Value, m.Groups["constraint"].Value is "int" or "long"));

    // {name}, {name:int}, {name?}, {name=default}, {*rest}
    [GeneratedRegex(@"\{\**(?<name>[A-Za-z0-9_]+)(?::(?<constraint>[A-Za-z]+)[^}?=]*)?[?]?(?:=[^}]*)?\}")]
    private static partial Regex Parameter();
}
