// The Function App on Flex Consumption (FC1), .NET isolated. Storage is identity-based (no connection strings),
// secrets are Key Vault references resolved with the user-assigned identity.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerUrl string
param keyVaultUri string
param applicationInsightsConnectionString string
param runtimeVersion string
param alwaysReadyInstances int
param maximumInstanceCount int
param instanceMemoryMB int
param taskHubName string
param commandQueueName string
param sandboxProvider string
param e2bTemplate string
param e2bDomain string
param modelBaseUrl string
param githubAppId string
param subnetId string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  // azd deploys the `api` service of azure.yaml to the site carrying this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        // The Durable group keeps one instance listening to the task hub's queues; http keeps the API warm.
        alwaysReady: alwaysReadyInstances > 0 ? [
          { name: 'durable', instanceCount: alwaysReadyInstances }
          { name: 'http', instanceCount: alwaysReadyInstances }
        ] : []
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: runtimeVersion }
    }
  }
}

// One object of literal settings (a config resource replaces them all: keep every setting here, not in the portal).
// Secrets are Key Vault references the platform resolves with keyVaultReferenceIdentity; none is written in clear.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // The Functions host and the Durable task hub: identity-based, no connection string (Flex sets the runtime itself).
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: blobEndpoint
    AzureWebJobsStorage__queueServiceUri: queueEndpoint
    AzureWebJobsStorage__tableServiceUri: tableEndpoint
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // The product (docs/configuration.md).
    // The product's own clients: the same identity-based connection, under the product's connection name.
    CodingAgent__Storage__credential: 'managedidentity'
    CodingAgent__Storage__clientId: identityClientId
    CodingAgent__Storage__blobServiceUri: blobEndpoint
    CodingAgent__Storage__queueServiceUri: queueEndpoint
    CodingAgent__Storage__tableServiceUri: tableEndpoint
    CodingAgent__Durable__TaskHub: taskHubName
    CodingAgent__Queue__Name: commandQueueName
    CodingAgent__Sandbox__Provider: sandboxProvider
    CodingAgent__Sandbox__E2B__Template: e2bTemplate
    CodingAgent__Sandbox__E2B__Domain: e2bDomain
    CodingAgent__Sandbox__E2B__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/e2b-api-key/)'
    CodingAgent__Model__BaseUrl: modelBaseUrl
    CodingAgent__Model__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/model-api-key/)'
    CodingAgent__Secrets__EncryptionKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/secret-encryption-key/)'
    CodingAgent__GitHub__AppId: githubAppId
    CodingAgent__GitHub__AppPrivateKey: empty(githubAppId) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/github-app-private-key/)'
    CodingAgent__Telemetry__Exporter: 'azuremonitor'
    CodingAgent__Telemetry__ManagedIdentityClientId: identityClientId
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
