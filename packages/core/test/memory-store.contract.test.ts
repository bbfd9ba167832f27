import { MemoryStore } from '../src/index.js';
import { patternContract, storeContract } from './store-contract.js';

storeContract('MemoryStore', () => new MemoryStore());
patternContract('MemoryStore', () => new MemoryStore());
