// Log Analytics and workspace-based Application Insights that accept only Entra-authenticated telemetry.
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
// Not a secret: it names the resource; with local auth disabled it cannot send telemetry without an Entra token.
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
output logAnalyticsName string = workspace.name

// The operations dashboard (docs/operations.md): its queries live in infra/monitoring/workbook.json.
resource dashboard 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(applicationInsights.id, 'coding-agent-dashboard')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Coding Agent API'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: loadTextContent('../monitoring/workbook.json')
  }
}
