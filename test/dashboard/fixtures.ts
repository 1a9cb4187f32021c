// Local entities for the dashboard tests: enough work that an export against
// a slowed emulator lasts a few seconds, plus one advertiser the export's
// validation refuses (an empty name) and a campaign that depends on it.
import { localAdvertiser, localCampaign, localZone, networkRow } from '../helpers/local-entities.ts';

const ADVERTISERS = ['Northside Bakery', 'Harbor Dental', 'Maple Street Books', 'Crescent Yoga', 'Riverbend Auto', 'Bluebird Cafe'];
const ZONES = ['Homepage Leaderboard', 'Sidebar Top', 'Sidebar Bottom', 'Article Inline', 'Newsletter Banner', 'Footer Strip'];

export async function seedLocalWork(networkId: number) {
  const network = await networkRow(networkId);
  const advertisers = [];
  for (const name of ADVERTISERS) advertisers.push(await localAdvertiser(network.id, name));
  const zones = [];
  for (const name of ZONES) zones.push(await localZone(network.id, name));
  const campaigns = [];
  for (const a of advertisers) campaigns.push(await localCampaign(network.id, a.id, `${a.name} Spring Push`));
  // Written straight to the database: the API refuses an empty name, an export re-checks it.
  const invalid = await localAdvertiser(network.id, '');
  const orphan = await localCampaign(network.id, invalid.id, 'Orphan Campaign');
  return { network, advertisers, zones, campaigns, invalid, orphan, total: advertisers.length + zones.length + campaigns.length + 2 };
}
