// `azd up` deploys the Coding Agent API: a Function App on Flex Consumption with a user-assigned identity, one storage
// account without shared keys, Key Vault for the platform's secrets, Application Insights + Log Analytics without local
// auth. Local modules only (registry modules cannot be restored offline). docs/deploy.md walks through it.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('The azd environment name; every resource name derives from it.')
param environmentName string

@minLength(1)
@description('Azure region for every resource; it must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of whoever runs azd (azd fills it in): granted Key Vault Secrets Officer and Table Data Contributor to set secrets and create API keys. Empty grants nothing.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('.NET isolated runtime version on Flex Consumption (it must match the TargetFramework the app is built for).')
param functionsRuntimeVersion string = '10.0'

@minValue(0)
@description('Always-ready instances for the durable and http groups (0: scale to zero; a cold start then costs the first request).')
param alwaysReadyInstances int = 1

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@allowed(['azurestorage'])
@description('Durable backend. Only the Azure Storage provider is wired; docs/deploy.md says what the Durable Task Scheduler still needs.')
param durableBackend string = 'azurestorage'

@allowed(['e2b'])
@description('Sandbox provider. The Functions host runs agents only in E2B sandboxes (it refuses local processes).')
param sandboxProvider string = 'e2b'

param e2bTemplate string = 'coding-agent-opencode'
param e2bDomain string = 'e2b.app'
param modelBaseUrl string = 'https://openrouter.ai/api/v1'

@description('GitHub App id for cloning, pushing and pull requests; empty: no GitHub App (a token can be set instead).')
param githubAppId string = ''

@allowed(['public', 'vnet'])
@description('public: the app reaches storage, Key Vault and E2B over public endpoints with Entra auth. vnet: outbound VNet integration (docs/deploy.md, "Network").')
param networkMode string = 'public'

param taskHubName string = 'codingagent'
param commandQueueName string = 'coding-agent-commands'

@description('Purge protection cannot be turned off again; on for production vaults.')
param keyVaultPurgeProtection bool = true

@minValue(30)
param logRetentionInDays int = 30

@secure()
@description('Optional: the managed model key, written to Key Vault as model-api-key (empty keeps what the vault holds).')
param modelApiKey string = ''

@secure()
@description('Optional: the E2B API key, written to Key Vault as e2b-api-key (empty keeps what the vault holds).')
param e2bApiKey string = ''

@secure()
@description('Optional: the GitHub App private key (PEM), written to Key Vault as github-app-private-key.')
param githubAppPrivateKey string = ''

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, product: 'coding-agent' }
var appName = 'func-${environmentName}-${token}'
var deploymentContainerName = 'app-package-${take(token, 8)}'

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  params: { name: 'id-${environmentName}-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: {
    logAnalyticsName: 'log-${environmentName}-${token}'
    applicationInsightsName: 'appi-${environmentName}-${token}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: {
    name: take('st${replace(environmentName, '-', '')}${token}', 24)
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    commandQueueName: commandQueueName
  }
}

module vault 'modules/keyvault.bicep' = {
  scope: group
  params: {
    name: take('kv-${token}-${environmentName}', 24)
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    modelApiKey: modelApiKey
    e2bApiKey: e2bApiKey
    githubAppPrivateKey: githubAppPrivateKey
  }
}

module network 'modules/network.bicep' = if (networkMode == 'vnet') {
  scope: group
  params: {
    name: 'vnet-${environmentName}-${token}'
    location: location
    tags: tags
    addressPrefix: '10.40.0.0/16'
    appSubnetPrefix: '10.40.1.0/24'
  }
}

module roles 'modules/role-assignments.bicep' = {
  scope: group
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: vault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module app 'modules/functionapp.bicep' = {
  scope: group
  params: {
    planName: 'plan-${environmentName}-${token}'
    appName: appName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    keyVaultUri: vault.outputs.uri
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    runtimeVersion: functionsRuntimeVersion
    alwaysReadyInstances: alwaysReadyInstances
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    taskHubName: taskHubName
    commandQueueName: commandQueueName
    sandboxProvider: sandboxProvider
    e2bTemplate: e2bTemplate
    e2bDomain: e2bDomain
    modelBaseUrl: modelBaseUrl
    githubAppId: githubAppId
    subnetId: networkMode == 'vnet' ? network!.outputs.appSubnetId : ''
  }
  // The app starts as soon as it exists: its identity must already hold its storage and Key Vault roles.
  dependsOn: [roles]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_KEY_VAULT_URI string = vault.outputs.uri
output CODING_AGENT_DURABLE_BACKEND string = durableBackend
output AZURE_APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output CODING_AGENT_API_BASE_URL string = 'https://${app.outputs.defaultHostName}/api/v1/coding-agent'
