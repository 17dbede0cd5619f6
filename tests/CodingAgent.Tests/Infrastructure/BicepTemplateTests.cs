using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodingAgent.Configuration;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Infrastructure;

/// <summary>
/// infra/ offline: every Bicep file builds and passes the linter (bicepconfig.json raises the rules that matter to errors),
/// and the template azd deploys has the properties the deployment promises (docs/deploy.md).
/// </summary>
public sealed partial class BicepTemplateTests(BicepTemplateTests.Built built) : IClassFixture<BicepTemplateTests.Built>
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private ArmTemplate Template => built.Template;

    // One run over the folder (the CLI starts slowly); --no-restore: only local modules, nothing is fetched.
    [Fact]
    public void EveryBicepFile_PassesTheLinter()
    {
        Assert.True(Directory.EnumerateFiles(BicepCli.InfraFolder, "*.bicep", SearchOption.AllDirectories).Count() > 1);
        string output = BicepCli.Run("lint", "--pattern", "**/*.bicep", "--no-restore");
        Assert.DoesNotContain("Warning", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Storage_RefusesSharedKeys_AndTheHostUsesTheIdentity()
    {
        JsonObject account = Template.Single("Microsoft.Storage/storageAccounts");
        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        Assert.False((bool)account["properties"]!["allowBlobPublicAccess"]!);

        JsonObject settings = AppSettings();
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        foreach (string service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains(service, (string?)settings[$"AzureWebJobsStorage__{service}ServiceUri"], StringComparison.Ordinal);
        }

        Assert.Contains("identityClientId", (string?)settings["AzureWebJobsStorage__clientId"], StringComparison.Ordinal);
        Assert.Null(settings["AzureWebJobsStorage"]);
        Assert.Equal("managedidentity", (string?)settings["CodingAgent__Storage__credential"]);
        Assert.Equal((string?)settings["AzureWebJobsStorage__tableServiceUri"], (string?)settings["CodingAgent__Storage__tableServiceUri"]);
        Assert.DoesNotContain(settings, s => ((string?)s.Value ?? string.Empty).Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings, s => s.Key.EndsWith("ConnectionString", StringComparison.Ordinal) && s.Key.StartsWith("CodingAgent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CodingAgent__Sandbox__E2B__ApiKey", "e2b-api-key")]
    [InlineData("CodingAgent__Model__ApiKey", "model-api-key")]
    [InlineData("CodingAgent__Secrets__EncryptionKey", "secret-encryption-key")]
    [InlineData("CodingAgent__GitHub__AppPrivateKey", "github-app-private-key")]
    public void EverySecretSetting_IsAKeyVaultReference(string setting, string secretName)
    {
        string value = (string?)AppSettings()[setting] ?? throw new InvalidOperationException($"{setting} is not set");
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
        Assert.Contains($"secrets/{secretName}/", value, StringComparison.Ordinal);

        JsonObject site = Template.Single("Microsoft.Web/sites");
        Assert.Contains("identityId", (string?)site["properties"]!["keyVaultReferenceIdentity"], StringComparison.Ordinal);
        JsonObject vault = Template.Single("Microsoft.KeyVault/vaults");
        Assert.True((bool)vault["properties"]!["enableRbacAuthorization"]!);
    }

    [Fact]
    public void NoSecret_LeavesThroughAnOutput_OrSitsInTheParametersFile()
    {
        HashSet<string> secureParameters = Template.Root["parameters"]!.AsObject()
            .Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key).ToHashSet();
        Assert.NotEmpty(secureParameters);
        foreach (var output in Template.Root["outputs"]!.AsObject())
        {
            Assert.DoesNotContain(secureParameters, p => ((string?)output.Value!["value"] ?? string.Empty).Contains($"'{p}'", StringComparison.Ordinal));
        }

        JsonObject parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraFolder, "main.parameters.json")))!["parameters"]!.AsObject();
        Assert.DoesNotContain(parameters, p => secureParameters.Contains(p.Key));
        Assert.Contains("CODING_AGENT_API_BASE_URL", Template.Root["outputs"]!.AsObject().Select(o => o.Key));
    }

    [Fact]
    public void FunctionApp_RunsOnFlexConsumption_WithTheProjectsRuntime()
    {
        JsonObject plan = Template.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);

        JsonObject config = Template.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!.AsObject();
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        // The runtime version is a parameter whose default must be the framework the app is built for.
        string targetFramework = TargetFramework().Match(File.ReadAllText(Path.Combine(RepoRoot.Path, "Directory.Build.props"))).Groups[1].Value;
        Assert.Equal(targetFramework, (string?)Template.Root["parameters"]!["functionsRuntimeVersion"]!["defaultValue"]);
        Assert.NotNull(Template.Root["parameters"]!["alwaysReadyInstances"]);
        Assert.Null(AppSettings()["FUNCTIONS_WORKER_RUNTIME"]); // Flex refuses it: the runtime lives in functionAppConfig
    }

    [Fact]
    public void Telemetry_AcceptsOnlyEntraAuthenticatedIngestion()
    {
        Assert.True((bool)Template.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
        Assert.True((bool)Template.Single("Microsoft.OperationalInsights/workspaces")["properties"]!["features"]!["disableLocalAuth"]!);
        Assert.Contains("Authorization=AAD", (string?)AppSettings()["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.Equal("azuremonitor", (string?)AppSettings()["CodingAgent__Telemetry__Exporter"]);
        // The operations dashboard is deployed with it, exactly as committed (infra/monitoring/workbook.json).
        // loadTextContent compiles to a variable of the module's template: `[variables('$fxv#0')]`.
        (JsonObject workbook, JsonObject module) = Template.Resources().Single(r => (string?)r.Resource["type"] == "Microsoft.Insights/workbooks");
        string variable = Regex.Match((string)workbook["properties"]!["serializedData"]!, @"^\[variables\('(.+)'\)\]$").Groups[1].Value;
        Assert.Equal(File.ReadAllText(Path.Combine(BicepCli.InfraFolder, "monitoring", "workbook.json")), (string?)module["variables"]![variable]);
    }

    [Theory]
    [InlineData("appPrincipalId", "Microsoft.Storage/storageAccounts", BlobDataOwner)]
    [InlineData("appPrincipalId", "Microsoft.Storage/storageAccounts", QueueDataContributor)]
    [InlineData("appPrincipalId", "Microsoft.Storage/storageAccounts", TableDataContributor)]
    [InlineData("appPrincipalId", "Microsoft.KeyVault/vaults", KeyVaultSecretsUser)]
    [InlineData("appPrincipalId", "Microsoft.Insights/components", MonitoringMetricsPublisher)]
    [InlineData("deployerPrincipalId", "Microsoft.Storage/storageAccounts", TableDataContributor)]
    [InlineData("deployerPrincipalId", "Microsoft.KeyVault/vaults", KeyVaultSecretsOfficer)]
    public void RoleAssignments_GrantEachRoleOnItsOneResource(string principal, string scopeType, string roleId)
    {
        var grants = Template.Resources().Where(r => (string?)r.Resource["type"] == "Microsoft.Authorization/roleAssignments")
            .Select(r => (
                Principal: (string)r.Resource["properties"]!["principalId"]!,
                Scope: (string)r.Resource["scope"]!,
                Roles: RoleIds((string)r.Resource["properties"]!["roleDefinitionId"]!, r.Template)))
            .ToList();
        Assert.Contains(grants, g => g.Principal.Contains($"'{principal}'", StringComparison.Ordinal)
            && g.Scope.Contains(scopeType, StringComparison.Ordinal) && g.Roles.Contains(roleId));
        // Least privilege: nothing broader than data-plane roles, and never at subscription or group scope.
        Assert.All(grants, g => Assert.Matches("Microsoft\\.(Storage|KeyVault|Insights)/", g.Scope));
    }

    // Every CodingAgent__ setting the template writes is a key the product binds: a renamed option fails here, not in Azure.
    [Fact]
    public void ProductSettings_NameOptionsThatExist()
    {
        List<string> product = AppSettings().Select(s => s.Key).Where(k => k.StartsWith("CodingAgent__", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(product);
        Assert.All(product, key => Assert.True(Binds(typeof(CodingAgentOptions), key.Split("__")[1..]), $"{key} names no option"));
    }

    private JsonObject AppSettings() =>
        Template.OfType("Microsoft.Web/sites/config").Single(c => ((string?)c["name"])!.Contains("appsettings", StringComparison.Ordinal))["properties"]!.AsObject();

    private static bool Binds(Type type, string[] path)
    {
        PropertyInfo? property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is not null && (path.Length == 1 || Binds(property.PropertyType, path[1..]));
    }

    // Role ids as the compiled template spells them: literals, or `variables('roles').name`, or a loop over a variable array.
    private static HashSet<string> RoleIds(string expression, JsonObject template)
    {
        JsonObject variables = template["variables"]?.AsObject() ?? [];
        HashSet<string> ids = [.. Guid().Matches(expression).Select(m => m.Value)];
        foreach (Match named in RoleVariable().Matches(expression))
        {
            ids.Add((string)variables["roles"]![named.Groups[1].Value]!);
        }

        foreach (Match array in ArrayVariable().Matches(expression))
        {
            foreach (JsonNode? item in variables[array.Groups[1].Value]!.AsArray())
            {
                ids.UnionWith(RoleIds((string)item!, template));
            }
        }

        return ids;
    }

    [GeneratedRegex("<TargetFramework>net([0-9.]+)</TargetFramework>")]
    private static partial Regex TargetFramework();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"variables\('roles'\)\.(\w+)")]
    private static partial Regex RoleVariable();

    [GeneratedRegex(@"variables\('(\w+)'\)\[copyIndex\(\)\]")]
    private static partial Regex ArrayVariable();

    /// <summary>infra/main.bicep built once for the class.</summary>
    public sealed class Built
    {
        public Built()
        {
            string output = Path.Combine(Path.GetTempPath(), $"coding-agent-main-{Guid7()}.json");
            try
            {
                BicepCli.Run("build", "main.bicep", "--no-restore", "--outfile", output);
                Template = new ArmTemplate(JsonNode.Parse(File.ReadAllText(output))!.AsObject());
            }
            finally
            {
                File.Delete(output);
            }
        }

        public ArmTemplate Template { get; }

        private static string Guid7() => System.Guid.CreateVersion7().ToString("N");
    }
}
