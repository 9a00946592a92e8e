export { MunicipalityFile, planPeriodLabel, type Municipality } from './municipality';
