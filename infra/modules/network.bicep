// Optional outbound VNet integration for the Function App (networkMode 'vnet'): Flex Consumption integrates with a
// subnet delegated to Microsoft.App/environments. Private endpoints for storage and Key Vault are the next step
// (docs/deploy.md, "Network").
param name string
param location string
param tags object
param addressPrefix string
param appSubnetPrefix string

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            { name: 'flex', properties: { serviceName: 'Microsoft.App/environments' } }
          ]
        }
      }
    ]
  }
}

output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'app')
